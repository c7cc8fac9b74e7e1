import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrlError, certificatesFromFile, crlsFromFile, loadCrl, parseCertificate } from '../../../pki';
import { makeBigCrl } from '../../helpers/crl-writer';
import { createTestPki, type TestPki } from '../../helpers/pki';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.cleanup());

describe('CRL index', () => {
  it('indexes an openssl CRL: the revoked serial with its date and reason, others absent', () => {
    const ca = certificatesFromFile(readFileSync(pki.caCert));
    const [der] = crlsFromFile(readFileSync(pki.crl));
    const idx = loadCrl(der!, { issuers: ca });
    expect(idx.size).toBe(1);
    expect(idx.signedBy.serialHex).toBe(ca[0]!.serialHex);
    const r = idx.lookup(pki.certs.revoked.serial);
    expect(r).not.toBeNull();
    expect(r!.reason).toBe(1); // keyCompromise
    expect(r!.revocationDate.getTime()).toBeLessThanOrEqual(pki.clock.now.getTime());
    expect(idx.lookup(pki.certs.valid.serial)).toBeNull();
    expect(idx.nextUpdate!.getTime()).toBeGreaterThan(pki.clock.now.getTime());
  });

  it('refuses a CRL whose signature does not verify, or whose issuer is unknown', () => {
    const ca = certificatesFromFile(readFileSync(pki.caCert));
    const [forged] = crlsFromFile(readFileSync(pki.forgedCrl));
    expect(() => loadCrl(forged!, { issuers: ca })).toThrow(expect.objectContaining({ code: 'bad-signature' }));
    const [good] = crlsFromFile(readFileSync(pki.crl));
    expect(() => loadCrl(good!, { issuers: [] })).toThrow(expect.objectContaining({ code: 'unknown-issuer' }));
    const tampered = Buffer.from(good!);
    tampered[tampered.length - 300]! ^= 1;
    expect(() => loadCrl(tampered, { issuers: ca })).toThrow(CrlError);
  });

  it('a generated CRL of 20,000 entries: every serial found, strangers not; signature checked', () => {
    const big = makeBigCrl(20_000);
    const ca = parseCertificate(big.caDer);
    const idx = loadCrl(big.crlDer, { issuers: [ca] });
    expect(idx.size).toBe(20_000);
    for (const s of big.serials) expect(idx.lookup(s)).not.toBeNull();
    expect(idx.lookup(big.serials[0]!)!.reason).toBe(1);
    expect(idx.lookup(big.serials[1]!)!.reason).toBeNull();
    expect(idx.lookup('01')).toBeNull();
    // One changed octet in the middle of the revoked list breaks the signature.
    const bad = Buffer.from(big.crlDer);
    bad[Math.floor(bad.length / 2)]! ^= 0x01;
    expect(() => loadCrl(bad, { issuers: [ca] })).toThrow(CrlError);
  });

  it("with lookups 'few' (one request, then exit) it finds the same serials by walking the list, builds no index", () => {
    const big = makeBigCrl(5_000);
    const ca = parseCertificate(big.caDer);
    const idx = loadCrl(big.crlDer, { issuers: [ca], lookups: 'few' });
    expect(idx.size).toBe(5_000);
    const full = loadCrl(big.crlDer, { issuers: [ca] });
    for (const s of [big.serials[0]!, big.serials[1]!, big.serials[2_500]!, big.serials[4_999]!])
      expect(idx.lookup(s)).toEqual(full.lookup(s));
    expect(idx.lookup(big.serials[0]!)!.reason).toBe(1);
    expect(idx.lookup('01')).toBeNull();
    expect(idx.lookup('not hex')).toBeNull();
    // The structure is still checked at load: a broken entry is refused before any lookup.
    const bad = Buffer.from(big.crlDer);
    bad[Math.floor(bad.length / 2)]! ^= 0x01;
    expect(() => loadCrl(bad, { issuers: [ca], lookups: 'few' })).toThrow(CrlError);
  });

  it('an empty CRL (no revokedCertificates) is valid and empty', () => {
    const big = makeBigCrl(0);
    const idx = loadCrl(big.crlDer, { issuers: [parseCertificate(big.caDer)] });
    expect(idx.size).toBe(0);
  });

  it('malformed input is a CrlError, never another exception', () => {
    for (const b of [Buffer.alloc(0), Buffer.from('garbage'), Buffer.from([0x30, 0x03, 0x30, 0x01, 0x00])]) {
      expect(() => loadCrl(b, { issuers: [] })).toThrow(CrlError);
    }
  });
});
