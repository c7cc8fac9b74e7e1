/**
 * Property tests: whatever arrives, the verifier answers with a result (never throws), and a damaged request is
 * never valid.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_REASONS, TrustStore, verifySignedRequest, type RequestVerification } from '../../../pki';
import { parseSignedData } from '../../../pki/cms';
import { createTestPki, type TestPki } from '../../helpers/pki';

let pki: TestPki;
let trust: TrustStore;
let good: Buffer;
let contentRange: [number, number];
let signatureRange: [number, number];

beforeAll(() => {
  pki = createTestPki();
  trust = TrustStore.fromFiles({ trust: [pki.caCert], crl: [pki.crl] });
  good = pki.signRequest({ iin: pki.citizenIin, service: 'appointment' }, 'valid');
  const sd = parseSignedData(good);
  const content = Buffer.from(sd.content!);
  const cStart = good.indexOf(content);
  contentRange = [cStart, cStart + content.length];
  const sig = Buffer.from(sd.signerInfos[0]!.signature);
  const sStart = good.lastIndexOf(sig);
  signatureRange = [sStart, sStart + sig.length];
});
afterAll(() => pki?.cleanup());

function wellFormed(r: RequestVerification) {
  expect(typeof r.valid).toBe('boolean');
  expect(r.valid).toBe(r.reasons.length === 0);
  for (const reason of r.reasons) expect(REQUEST_REASONS).toContain(reason);
}

describe('verifier robustness', () => {
  it('sanity: the unmodified request is valid', () => {
    expect(verifySignedRequest(good, trust, { now: pki.clock.now }).valid).toBe(true);
  });

  it('random bytes: bad-format, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const r = verifySignedRequest(bytes, trust, { now: pki.clock.now });
        wellFormed(r);
        expect(r.valid).toBe(false);
        expect(r.reasons).toContain('bad-format');
      }),
      { numRuns: 1000 },
    );
  });

  it('random text (PEM-ish, base64-ish): never a throw, never valid', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.base64String({ maxLength: 300 }), (s, b64) => {
        for (const input of [s, b64, `-----BEGIN CMS-----\n${b64}\n-----END CMS-----`]) {
          const r = verifySignedRequest(input, trust, { now: pki.clock.now });
          wellFormed(r);
          expect(r.valid).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('mutations anywhere (flip, truncate, insert, delete): never a throw, a well-formed result', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
          fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
          fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
          fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
        ),
        (m) => {
          const at = m.at % good.length;
          let b: Buffer;
          if (m.kind === 'flip') {
            b = Buffer.from(good);
            b[at]! ^= 1 << m.bit;
          } else if (m.kind === 'truncate') b = good.subarray(0, at);
          else if (m.kind === 'insert') b = Buffer.concat([good.subarray(0, at), m.bytes, good.subarray(at)]);
          else b = Buffer.concat([good.subarray(0, at), good.subarray(at + m.n)]);
          wellFormed(verifySignedRequest(b, trust, { now: pki.clock.now }));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('a changed octet in the signed content or the signature is never valid: bad-format or bad-signature', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 255 }), (inContent, pos, x) => {
        const [s, e] = inContent ? contentRange : signatureRange;
        const b = Buffer.from(good);
        b[s + (pos % (e - s))]! ^= x;
        const r = verifySignedRequest(b, trust, { now: pki.clock.now });
        wellFormed(r);
        expect(r.valid).toBe(false);
        expect(r.reasons.some((x) => x === 'bad-format' || x === 'bad-signature')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
