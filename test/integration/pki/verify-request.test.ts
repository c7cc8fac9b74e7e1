/**
 * Citizens' signed e-requests made by `openssl cms -sign -nodetach -binary -cades` (an implementation that is not
 * ours), checked by the project's verifier: one test per reason code, plus the CLI.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as verifyCli } from '../../../electron/cli/verify-request';
import { createPkcs12Signer } from '../../../electron/services/signing';
import { signedAttributes } from '../../../pki/cms';
import { ctx, encodeInteger, encodeOctets, encodeOid, seq, setOf, tlv } from '../../../pki/der';
import { OID } from '../../../pki/oids';
import { CrlError, TrustStore, certificatesFromFile, verifySignedRequest, type RequestVerification } from '../../../pki';
import { createTestPki, type CitizenCertName, type TestPki } from '../../helpers/pki';

/** YYMMDDhhmmssZ (UTCTime, RFC 5280: YY < 50 is 20YY). */
function decodeUtcTime(s: string): Date {
  const n = (i: number) => Number(s.slice(i, i + 2));
  return new Date(Date.UTC(2000 + n(0), n(2) - 1, n(4), n(6), n(8), n(10)));
}
import { captureIo } from '../../helpers/signing';

let pki: TestPki;
let trust: TrustStore;
let request: { iin: string; service: string; address: string };

beforeAll(() => {
  pki = createTestPki();
  trust = TrustStore.fromFiles({ trust: [pki.caCert], crl: [pki.crl] });
  request = { iin: pki.citizenIin, service: 'home-visit', address: 'Астана, Мәңгілік Ел 8, 12' };
});
afterAll(() => pki?.cleanup());

const signed = (cert: CitizenCertName, body: unknown = request) => pki.signRequest(body, cert);
const verify = (input: Uint8Array | string, t = trust, at?: Date): RequestVerification =>
  verifySignedRequest(input, t, { at, now: pki.clock.now });

function expectOnly(r: RequestVerification, reason: string) {
  expect(r.valid).toBe(false);
  expect(r.reasons).toEqual([reason]);
}

describe('verifySignedRequest', () => {
  it('accepts a request signed with a valid RSA signing certificate', () => {
    const r = verify(signed('valid'));
    expect(r).toEqual({
      valid: true,
      iin: pki.citizenIin,
      signer: expect.objectContaining({ name: 'ТЕСТОВ АЛИ', iin: pki.citizenIin, serial: pki.certs.valid.serial }),
      reasons: [],
    });
    expect(Object.keys(r.signer!).sort()).toEqual(['iin', 'name', 'notAfter', 'notBefore', 'serial']);
  });

  it('accepts ECDSA P-256', () => {
    expect(verify(signed('validEc')).valid).toBe(true);
  });

  it('accepts PEM and bare base64 as well as DER', () => {
    const der = signed('valid');
    const b64 = der.toString('base64');
    expect(verify(`-----BEGIN CMS-----\n${b64.replace(/.{64}/g, '$&\n')}\n-----END CMS-----\n`).valid).toBe(true);
    expect(verify(Buffer.from(b64)).valid).toBe(true);
  });

  it('accepts a request signed by the project itself with the content encapsulated', async () => {
    const p12 = join(pki.dir, 'citizen.p12');
    pki.openssl(['pkcs12', '-export', '-inkey', pki.certs.valid.key, '-in', pki.certs.valid.cert, '-passout', 'pass:x', '-out', p12]);
    const r = await createPkcs12Signer({ file: p12 }).sign(Buffer.from(JSON.stringify(request)), {
      secret: Buffer.from('x'),
      encapsulate: true,
      signingTime: pki.clock.now,
    });
    expect(verify(r.cms).valid).toBe(true);
  });

  describe('bad-format', () => {
    it('empty input', () => expectOnly(verify(Buffer.alloc(0)), 'bad-format'));
    it('text that is not a CMS', () => expectOnly(verify('hello, this is not a signature'), 'bad-format'));
    it('a DER object that is not a SignedData (a certificate)', () => {
      expectOnly(verify(certificatesFromFile(readFileSync(pki.caCert))[0]!.der), 'bad-format');
    });
    it('a signed content that is not a JSON request', () => expectOnly(verify(signed('valid', 'plain text, not JSON')), 'bad-format'));
    it('a detached signature (no request inside)', async () => {
      const input = join(pki.dir, 'detached.json');
      writeFileSync(input, JSON.stringify(request));
      const out = `${input}.p7s`;
      const c = pki.certs.valid;
      // openssl without -nodetach makes a detached signature
      const args = ['cms', '-sign', '-binary', '-outform', 'DER', '-cades', '-in', input, '-signer', c.cert, '-inkey', c.key, '-out', out];
      pki.openssl(args);
      expectOnly(verify(readFileSync(out)), 'bad-format');
    });
    it('a truncated signature', () => {
      const der = signed('valid');
      expectOnly(verify(der.subarray(0, der.length - 100)), 'bad-format');
    });
  });

  describe('bad-signature', () => {
    it('the request content was altered after signing', () => {
      const der = Buffer.from(signed('valid'));
      const at = der.indexOf(Buffer.from('home-visit'));
      expect(at).toBeGreaterThan(0);
      der[at] = 'H'.charCodeAt(0);
      const r = verify(der);
      expectOnly(r, 'bad-signature');
    });
    it('a signed attribute (signingTime) was altered', () => {
      const der = Buffer.from(signed('valid'));
      const oid = encodeOid(OID.signingTime);
      const at = der.indexOf(oid);
      expect(at).toBeGreaterThan(0);
      const timeAt = at + oid.length + 2 + 2; // SET header, UTCTime header
      // Re-encode another valid time of the same length (one minute earlier), so the value still parses on any
      // date and only the signature can tell: flipping a digit makes 30 November the 31st, a bad format.
      const original = der.subarray(timeAt, timeAt + 13).toString('latin1');
      expect(original).toMatch(/^\d{12}Z$/);
      const earlier = new Date(decodeUtcTime(original).getTime() - 60_000);
      der.write(earlier.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z', timeAt, 'latin1');
      expect(der.subarray(timeAt, timeAt + 13).toString('latin1')).not.toBe(original);
      expectOnly(verify(der), 'bad-signature');
    });
  });

  it('untrusted: a certificate from a CA that is not in the trust store (same name, other key)', () => {
    expectOnly(verify(signed('foreign')), 'untrusted');
  });

  it('expired at the signing time', () => expectOnly(verify(signed('expired')), 'expired'));

  it('not yet valid at the signing time', () => expectOnly(verify(signed('notYetValid')), 'not-yet-valid'));

  it('the time asked for (`at`) replaces the signing time', () => {
    expectOnly(verify(signed('valid'), trust, new Date('2100-01-01T00:00:00Z')), 'expired');
    const inside = new Date(pki.clock.now.getTime() - 600 * 86_400_000); // within the expired certificate's validity
    expect(verify(signed('expired'), trust, inside).valid).toBe(true);
  });

  it('key-usage: an authentication key (digitalSignature + keyEncipherment, clientAuth) is refused', () => {
    expectOnly(verify(signed('auth')), 'key-usage');
  });

  it('key-usage: a certificate without keyUsage is refused', () => expectOnly(verify(signed('noKeyUsage')), 'key-usage'));

  it('revoked: the serial is on the CA’s CRL', () => expectOnly(verify(signed('revoked')), 'revoked'));

  it('revocation-unknown: no CRL for the issuer, never valid', () => {
    const noCrl = TrustStore.fromFiles({ trust: [pki.caCert] });
    expectOnly(verify(signed('valid'), noCrl), 'revocation-unknown');
  });

  it('revocation-unknown: the only CRL is past its nextUpdate', () => {
    const stale = TrustStore.fromFiles({ trust: [pki.caCert], crl: [pki.staleCrl] });
    expectOnly(verify(signed('valid'), stale), 'revocation-unknown');
  });

  it('a newer CRL wins over a stale one whatever the order of the files', () => {
    const both = TrustStore.fromFiles({ trust: [pki.caCert], crl: [pki.crl, pki.staleCrl] });
    expect(verify(signed('valid'), both).valid).toBe(true);
  });

  it('a CRL in DER loads like the PEM one', () => {
    const der = TrustStore.fromFiles({ trust: [pki.caCert], crl: [pki.crlDer] });
    expectOnly(verify(signed('revoked'), der), 'revoked');
  });

  it('a forged CRL (the CA’s name, another key) is refused when loading', () => {
    const store = new TrustStore();
    store.addCertificates(readFileSync(pki.caCert));
    expect(() => store.addCrls(readFileSync(pki.forgedCrl))).toThrow(CrlError);
    try {
      store.addCrls(readFileSync(pki.forgedCrl));
    } catch (e) {
      expect((e as CrlError).code).toBe('bad-signature');
    }
  });

  it('iin-mismatch: the request’s IIN is not the certificate’s', () => {
    const r = verify(signed('mismatch'));
    expectOnly(r, 'iin-mismatch');
    expect(r.iin).toBe(pki.citizenIin);
    expect(r.signer?.iin).toBe(pki.otherIin);
  });

  it('iin-mismatch: the request carries no IIN', () => {
    const r = verify(signed('valid', { service: 'home-visit' }));
    expectOnly(r, 'iin-mismatch');
    expect(r.iin).toBeNull();
  });

  for (const [family, digestOid, sigOid] of [
    ['Kazakh GOST 34.310', '1.2.398.3.10.1.3.1', '1.2.398.3.10.1.1.1.2'],
    ['Russian GOST 2012', '1.2.643.7.1.1.2.2', '1.2.643.7.1.1.3.2'],
  ] as const) {
    it(`unsupported-algorithm: ${family} is reported as such, never as valid`, () => {
      const cert = certificatesFromFile(readFileSync(pki.certs.valid.cert))[0]!;
      const content = Buffer.from(JSON.stringify(request));
      const attrs = signedAttributes(randomBytes(32), cert, pki.clock.now);
      const si = seq(
        encodeInteger(1),
        seq(cert.issuerDer, cert.serialDer),
        seq(encodeOid(digestOid)),
        Buffer.concat([Buffer.from([0xa0]), attrs.subarray(1)]),
        seq(encodeOid(sigOid)),
        encodeOctets(randomBytes(64)),
      );
      const sd = seq(
        encodeInteger(1),
        setOf(seq(encodeOid(digestOid))),
        seq(encodeOid(OID.data), ctx(0, true, encodeOctets(content))),
        tlv(0xa0, cert.der),
        setOf(si),
      );
      const r = verify(seq(encodeOid(OID.signedData), ctx(0, true, sd)));
      expect(r.valid).toBe(false);
      expect(r.reasons).toContain('unsupported-algorithm');
      expect(r.reasons).not.toContain('bad-signature');
    });
  }

  it('reports every problem it finds, not only the first', () => {
    const noCrl = TrustStore.fromFiles({ trust: [pki.caCert] });
    const r = verify(signed('auth', { iin: pki.otherIin }), noCrl);
    expect(r.reasons).toEqual(['key-usage', 'revocation-unknown', 'iin-mismatch']);
  });
});

describe('tirkeu verify-request', () => {
  const file = (name: string, data: Uint8Array) => {
    const p = join(pki.dir, name);
    writeFileSync(p, data);
    return p;
  };

  it('valid: one JSON line, exit 0', async () => {
    const io = captureIo();
    const code = await verifyCli([file('ok.p7s', signed('valid')), '--trust', pki.caCert, '--crl', pki.crl], io);
    expect(code, io.err()).toBe(0);
    const lines = io.out().trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!);
    expect(Object.keys(r)).toEqual(['valid', 'iin', 'signer', 'reasons']);
    expect(r).toMatchObject({ valid: true, iin: pki.citizenIin, reasons: [] });
  });

  it('rejected: exit 1 with the reasons', async () => {
    const io = captureIo();
    const code = await verifyCli([file('revoked.p7s', signed('revoked')), '--trust', pki.caCert, '--crl', pki.crl], io);
    expect(code).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ valid: false, reasons: ['revoked'] });
  });

  it('--at and several --trust/--crl files; standard input with -', async () => {
    const io = captureIo({}, signed('valid').toString('base64'));
    const code = await verifyCli(
      [
        '-',
        '--trust',
        pki.foreignCaCert,
        '--trust',
        pki.caCert,
        '--crl',
        pki.crlDer,
        '--crl',
        pki.staleCrl,
        '--at',
        '2100-01-01T00:00:00Z',
      ],
      io,
    );
    expect(code).toBe(1);
    expect(JSON.parse(io.out()).reasons).toEqual(['expired']);
  });

  it('usage errors exit 2: no --trust, a bad --at, an unreadable file, a forged CRL, an unknown option', async () => {
    const p = file('u.p7s', signed('valid'));
    expect(await verifyCli([p], captureIo())).toBe(2);
    expect(await verifyCli([p, '--trust', pki.caCert, '--at', 'yesterday'], captureIo())).toBe(2);
    expect(await verifyCli([join(pki.dir, 'missing.p7s'), '--trust', pki.caCert], captureIo())).toBe(2);
    const io = captureIo();
    expect(await verifyCli([p, '--trust', pki.caCert, '--crl', pki.forgedCrl], io)).toBe(2);
    expect(io.err()).toMatch(/invalid signature/);
    expect(await verifyCli([p, '--trust', pki.caCert, '--pin', '1'], captureIo())).toBe(2);
  });
});
