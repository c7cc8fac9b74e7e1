/**
 * Signing on a real SoftHSM2 token initialized by the test, verified by `openssl cms -verify`.
 * Faults a software token cannot produce on demand (a locked PIN, a token pulled out mid-signature) are injected
 * by wrapping the real module: every other call still goes to SoftHSM.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../../common/canonical-json';
import { run as signCli } from '../../../electron/cli/sign';
import { createPkcs11Signer, createPkcs12Signer, listTokens, pkcs11Module, type Pkcs11Library } from '../../../electron/services/signing';
import { verifyDetached } from '../../../pki';
import { createTestPki, type TestPki } from '../../helpers/pki';
import { captureIo, opensslSignerCount, opensslVerifyDetached } from '../../helpers/signing';
import { createSoftHsm, type SoftHsm } from '../../helpers/softhsm';
import { rejection } from '../../helpers/api-errors';

const LABEL = 'Physician token';
const PIN = '123456';

let pki: TestPki;
let hsm: SoftHsm;
let docPath: string;
let doc: Uint8Array;

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The real module with some calls replaced. */
function faulty(real: Pkcs11Library, overrides: Partial<Pkcs11Library>, calls: string[] = []): Pkcs11Library {
  return new Proxy(real, {
    get(target, prop: string) {
      const override = (overrides as Record<string, unknown>)[prop];
      const fn = override ?? (target as unknown as Record<string, unknown>)[prop];
      if (typeof fn !== 'function') return fn;
      return (...args: unknown[]) => {
        calls.push(prop);
        return (fn as (...a: unknown[]) => unknown).apply(override ? undefined : target, args);
      };
    },
  });
}

const pkcs11Error = (code: number, name: string) => Object.assign(new Error(`${name}:${code}`), { code });

beforeAll(() => {
  pki = createTestPki();
  hsm = createSoftHsm([
    {
      label: LABEL,
      pin: PIN,
      keys: [
        { id: '01', label: 'signing', key: pki.certs.physician.key, cert: pki.certs.physician.cert },
        { id: '02', label: 'auth', key: pki.certs.physicianAuth.key, cert: pki.certs.physicianAuth.cert },
        { id: '03', label: 'old signing', key: pki.certs.physicianExpired.key, cert: pki.certs.physicianExpired.cert },
        { id: '04', label: 'ec signing', key: pki.certs.validEc.key, cert: pki.certs.validEc.cert },
      ],
    },
  ]);
  // Someone else in the process initialized the module first: our instance must treat
  // CKR_CRYPTOKI_ALREADY_INITIALIZED as success.
  const other = new pkcs11js.PKCS11();
  other.load(hsm.module);
  other.C_Initialize();
  doc = canonicalBytes({ kind: 'tb-certificate', iin: pki.citizenIin, result: 'жоқ / not registered', issued: '2026-01-15' });
  docPath = join(pki.dir, 'certificate.json');
  writeFileSync(docPath, doc);
});

afterAll(() => {
  hsm?.cleanup();
  pki?.cleanup();
});

describe('PKCS#11 provider on SoftHSM2', () => {
  it('initializes although another instance initialized the module first, and finds the token by label', () => {
    expect(() => pkcs11Module(hsm.module)).not.toThrow();
    const tokens = listTokens(hsm.module);
    expect(tokens.map((t) => t.label)).toContain(LABEL);
  });

  it('lists the certificates with owner, IIN, validity and key usage, without a PIN', async () => {
    const keys = await createPkcs11Signer({ module: hsm.module, token: LABEL }).listKeys();
    const byId = Object.fromEntries(keys.map((k) => [k.keyId, k]));
    expect(Object.keys(byId).sort()).toEqual(['01', '02', '03', '04']);
    expect(byId['01']!.certificate).toMatchObject({ name: 'ДӘРІГЕРОВА ГҮЛНАР', iin: pki.physicianIin, canSign: true });
    expect(byId['01']!.certificate.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(byId['02']!.certificate.canSign).toBe(false);
    expect(byId['02']!.certificate.keyUsage).toContain('keyEncipherment');
  });

  it('signs with RSA: detached CAdES-BES that openssl accepts; the document is untouched', async () => {
    const before = sha(readFileSync(docPath));
    const signer = createPkcs11Signer({ module: hsm.module, token: LABEL });
    const secret = Buffer.from(PIN);
    const r = await signer.sign(readFileSync(docPath), {
      keyId: '01',
      signingTime: pki.clock.now,
      secret,
      expect: { iin: pki.physicianIin },
    });
    expect(secret.every((b) => b === 0)).toBe(true); // the PIN buffer was wiped
    const p7s = join(pki.dir, 'rsa.p7s');
    writeFileSync(p7s, r.cms);
    const v = opensslVerifyDetached(p7s, docPath, pki.caCert);
    expect(v.ok, v.output).toBe(true);
    expect(sha(readFileSync(docPath))).toBe(before);
    const ours = verifyDetached(r.cms, doc);
    expect(ours.valid).toBe(true);
    expect(ours.signers[0]!.certificate!.iin).toBe(pki.physicianIin);
    // CAdES-BES signed attributes
    const printed = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', p7s]).toString();
    for (const a of ['contentType', 'signingTime', 'messageDigest', 'id-smime-aa-signingCertificateV2']) expect(printed).toContain(a);
    expect(printed).toContain('eContent: <ABSENT>'); // detached
  });

  it('signs with ECDSA P-256 on the token', async () => {
    const r = await createPkcs11Signer({ module: hsm.module, token: LABEL }).sign(doc, {
      keyId: '04',
      signingTime: pki.clock.now,
      secret: Buffer.from(PIN),
    });
    const p7s = join(pki.dir, 'ec.p7s');
    writeFileSync(p7s, r.cms);
    const v = opensslVerifyDetached(p7s, docPath, pki.caCert);
    expect(v.ok, v.output).toBe(true);
  });

  it('two signers on one document: the physician on the token, the provider with its key file', async () => {
    const first = await createPkcs11Signer({ module: hsm.module, token: LABEL }).sign(doc, {
      keyId: '01',
      signingTime: pki.clock.now,
      secret: Buffer.from(PIN),
    });
    const both = await createPkcs12Signer({ file: pki.p12.path }).sign(doc, {
      signingTime: pki.clock.now,
      secret: Buffer.from(pki.p12.password),
      existing: first.cms,
    });
    const p7s = join(pki.dir, 'two.p7s');
    writeFileSync(p7s, both.cms);
    expect(opensslSignerCount(p7s)).toBe(2);
    const v = opensslVerifyDetached(p7s, docPath, pki.caCert);
    expect(v.ok, v.output).toBe(true);
    const ours = verifyDetached(both.cms, doc);
    expect(ours.valid).toBe(true);
    expect(ours.signers).toHaveLength(2);
  });

  it('refuses to add a signer to a signature over another document', async () => {
    const first = await createPkcs11Signer({ module: hsm.module, token: LABEL }).sign(doc, {
      keyId: '01',
      signingTime: pki.clock.now,
      secret: Buffer.from(PIN),
    });
    const e = await rejection(
      createPkcs11Signer({ module: hsm.module, token: LABEL }).sign(canonicalBytes({ other: true }), {
        keyId: '01',
        signingTime: pki.clock.now,
        secret: Buffer.from(PIN),
        existing: first.cms,
      }),
    );
    expect(e.code).toBe('validation');
  });

  it('no token with that label: token-absent', async () => {
    const e = await rejection(
      createPkcs11Signer({ module: hsm.module, token: 'No such token' }).sign(doc, {
        signingTime: pki.clock.now,
        secret: Buffer.from(PIN),
      }),
    );
    expect(e.code).toBe('token-absent');
    expect(e.params).toEqual({ label: 'No such token' });
  });

  it('wrong PIN: pin-incorrect, saying that few tries remain when the token flags it', async () => {
    const secret = Buffer.from('000000');
    const e = await rejection(
      createPkcs11Signer({ module: hsm.module, token: LABEL }).sign(doc, { keyId: '01', signingTime: pki.clock.now, secret }),
    );
    expect(e.code).toBe('pin-incorrect');
    // SoftHSM raises CKF_USER_PIN_COUNT_LOW after a failed login.
    expect(e.params).toEqual({ triesRemaining: 'low' });
    expect(secret.every((b) => b === 0)).toBe(true);
    // The right PIN still works afterwards.
    await createPkcs11Signer({ module: hsm.module, token: LABEL }).sign(doc, {
      keyId: '01',
      signingTime: pki.clock.now,
      secret: Buffer.from(PIN),
    });
  });

  it('wrong PIN on the final try: says one try remains', async () => {
    const real = pkcs11Module(hsm.module);
    const lib = faulty(real, {
      C_GetTokenInfo: (slot) => {
        const info = real.C_GetTokenInfo(slot);
        return { ...info, flags: info.flags | 0x20000 };
      },
    });
    const e = await rejection(
      createPkcs11Signer({ module: hsm.module, token: LABEL, library: lib }).sign(doc, {
        keyId: '01',
        signingTime: pki.clock.now,
        secret: Buffer.from('999999'),
      }),
    );
    expect(e.code).toBe('pin-incorrect');
    expect(e.params).toEqual({ triesRemaining: 'final' });
    expect(e.message).toMatch(/one try remains/);
  });

  it('locked PIN flagged by the token: pin-locked without trying to log in', async () => {
    const real = pkcs11Module(hsm.module);
    const calls: string[] = [];
    const lib = faulty(
      real,
      {
        C_GetTokenInfo: (slot) => {
          const info = real.C_GetTokenInfo(slot);
          return { ...info, flags: info.flags | 0x40000 };
        },
      },
      calls,
    );
    const e = await rejection(
      createPkcs11Signer({ module: hsm.module, token: LABEL, library: lib }).sign(doc, {
        keyId: '01',
        signingTime: pki.clock.now,
        secret: Buffer.from(PIN),
      }),
    );
    expect(e.code).toBe('pin-locked');
    expect(calls).not.toContain('C_Login');
  });

  it('locked PIN reported by C_Login (CKR_PIN_LOCKED): pin-locked', async () => {
    const lib = faulty(pkcs11Module(hsm.module), {
      C_Login: () => {
        throw pkcs11Error(0xa4, 'CKR_PIN_LOCKED');
      },
    });
    const e = await rejection(
      createPkcs11Signer({ module: hsm.module, token: LABEL, library: lib }).sign(doc, {
        keyId: '01',
        signingTime: pki.clock.now,
        secret: Buffer.from(PIN),
      }),
    );
    expect(e.code).toBe('pin-locked');
  });

  it('token pulled out during the signature: token-removed, no signature, document intact', async () => {
    const before = sha(readFileSync(docPath));
    const lib = faulty(pkcs11Module(hsm.module), {
      C_Sign: () => {
        throw pkcs11Error(0x32, 'CKR_DEVICE_REMOVED');
      },
    });
    const e = await rejection(
      createPkcs11Signer({ module: hsm.module, token: LABEL, library: lib }).sign(readFileSync(docPath), {
        keyId: '01',
        signingTime: pki.clock.now,
        secret: Buffer.from(PIN),
      }),
    );
    expect(e.code).toBe('token-removed');
    expect(sha(readFileSync(docPath))).toBe(before);
  });

  it('expired certificate: certificate-expired before the PIN is used', async () => {
    const calls: string[] = [];
    const lib = faulty(pkcs11Module(hsm.module), {}, calls);
    const e = await rejection(
      createPkcs11Signer({ module: hsm.module, token: LABEL, library: lib }).sign(doc, {
        keyId: '03',
        signingTime: pki.clock.now,
        secret: Buffer.from(PIN),
      }),
    );
    expect(e.code).toBe('certificate-expired');
    expect(calls).not.toContain('C_Login');
  });

  it('certificate not yet valid at the signing time: certificate-not-yet-valid', async () => {
    const e = await rejection(
      createPkcs11Signer({ module: hsm.module, token: LABEL }).sign(doc, {
        keyId: '01',
        secret: Buffer.from(PIN),
        signingTime: new Date('2001-01-01T00:00:00Z'),
      }),
    );
    expect(e.code).toBe('certificate-not-yet-valid');
  });

  it('authentication key: key-usage', async () => {
    const e = await rejection(
      createPkcs11Signer({ module: hsm.module, token: LABEL }).sign(doc, {
        keyId: '02',
        signingTime: pki.clock.now,
        secret: Buffer.from(PIN),
      }),
    );
    expect(e.code).toBe('key-usage');
  });

  it('a key id that is not on the token: key-not-found', async () => {
    const e = await rejection(
      createPkcs11Signer({ module: hsm.module, token: LABEL }).sign(doc, {
        keyId: 'ff',
        signingTime: pki.clock.now,
        secret: Buffer.from(PIN),
      }),
    );
    expect(e.code).toBe('key-not-found');
  });

  it('identity rules: the physician’s own IIN, the organization’s BIN', async () => {
    const signer = createPkcs11Signer({ module: hsm.module, token: LABEL });
    const e1 = await rejection(
      signer.sign(doc, { keyId: '01', signingTime: pki.clock.now, secret: Buffer.from(PIN), expect: { iin: pki.otherIin } }),
    );
    expect(e1.code).toBe('signer-mismatch');
    expect(e1.params?.field).toBe('iin');
    const e2 = await rejection(
      signer.sign(doc, { keyId: '01', signingTime: pki.clock.now, secret: Buffer.from(PIN), expect: { bin: pki.organizationBin } }),
    );
    expect(e2.code).toBe('signer-mismatch');
    expect(e2.params?.field).toBe('bin');
  });
});

describe('tirkeu sign --pkcs11', () => {
  it('signs with the PIN from TIRKEU_PIN', async () => {
    const out = join(pki.dir, 'cli-env.p7s');
    const io = captureIo({ TIRKEU_PIN: PIN });
    const code = await signCli([docPath, '--pkcs11', hsm.module, '--token', LABEL, '--key-id', '01', '--out', out], io);
    expect(code, io.err()).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ out, keyId: '01', signer: { iin: pki.physicianIin } });
    expect(opensslVerifyDetached(out, docPath, pki.caCert).ok).toBe(true);
  });

  it('signs with the PIN from the first line of standard input', async () => {
    const out = join(pki.dir, 'cli-stdin.p7s');
    const io = captureIo({}, `${PIN}\nignored second line\n`);
    const code = await signCli([docPath, '--pkcs11', hsm.module, '--token', LABEL, '--key-id', '01', '--out', out], io);
    expect(code, io.err()).toBe(0);
    expect(opensslVerifyDetached(out, docPath, pki.caCert).ok).toBe(true);
  });

  it('wrong PIN: exit 1, a clear message, no output file, the PIN never printed', async () => {
    const out = join(pki.dir, 'cli-wrong.p7s');
    const io = captureIo({ TIRKEU_PIN: '765432' });
    const code = await signCli([docPath, '--pkcs11', hsm.module, '--token', LABEL, '--key-id', '01', '--out', out], io);
    expect(code).toBe(1);
    expect(io.err()).toMatch(/pin-incorrect/);
    expect(io.err() + io.out()).not.toContain('765432');
    expect(existsSync(out)).toBe(false);
  });

  it('missing token: exit 1 with token-absent; usage errors exit 2', async () => {
    const io = captureIo({ TIRKEU_PIN: PIN });
    expect(await signCli([docPath, '--pkcs11', hsm.module, '--token', 'Gone', '--out', join(pki.dir, 'x.p7s')], io)).toBe(1);
    expect(io.err()).toMatch(/token-absent/);
    expect(await signCli([docPath, '--pkcs11', hsm.module, '--out', 'x.p7s'], captureIo({ TIRKEU_PIN: PIN }))).toBe(2);
    expect(await signCli([docPath, '--pkcs11', hsm.module, '--token', LABEL, '--pin', PIN, '--out', 'x.p7s'], captureIo())).toBe(2);
    expect(await signCli([docPath, '--pkcs11', hsm.module, '--token', LABEL, '--out', 'x.p7s'], captureIo())).toBe(2); // no PIN at all
  });
});
