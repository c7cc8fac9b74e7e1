import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DerError,
  children,
  decodeOid,
  decodeTime,
  encodeInteger,
  encodeOid,
  encodeUtcTime,
  integerHex,
  normalizeSerialHex,
  octets,
  parseOne,
  readTlv,
  seq,
  setOf,
} from '../../../pki/der';

describe('DER reader and writer', () => {
  it('OIDs round-trip', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        fc.array(fc.nat({ max: 2 ** 40 }), { maxLength: 8 }),
        (a, b, rest) => {
          const oid = [a, b, ...rest].join('.');
          expect(decodeOid(parseOne(encodeOid(oid)))).toBe(oid);
        },
      ),
    );
    expect(decodeOid(parseOne(encodeOid('1.2.398.3.10.1.1.1.2')))).toBe('1.2.398.3.10.1.1.1.2');
  });

  it('positive integers round-trip to canonical hex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 20 }), (bytes) => {
        const hex = normalizeSerialHex(Buffer.from(bytes).toString('hex'));
        expect(integerHex(parseOne(encodeInteger(bytes)))).toBe(hex);
      }),
    );
    expect(normalizeSerialHex('0000ab')).toBe('ab');
    expect(normalizeSerialHex('00')).toBe('00');
  });

  it('reads BER indefinite lengths and constructed OCTET STRINGs', () => {
    // SEQUENCE (indefinite) { OCTET STRING constructed (indefinite) { "ab", "c" } }
    const ber = Buffer.from([0x30, 0x80, 0x24, 0x80, 0x04, 0x02, 0x61, 0x62, 0x04, 0x01, 0x63, 0x00, 0x00, 0x00, 0x00]);
    const t = parseOne(ber);
    expect(Buffer.from(octets(children(t)[0]!)).toString()).toBe('abc');
  });

  it('times: UTCTime and GeneralizedTime', () => {
    const d = new Date('2031-02-03T04:05:06Z');
    expect(decodeTime(parseOne(encodeUtcTime(d))).toISOString()).toBe(d.toISOString());
    const g = new Date('2051-02-03T04:05:06Z');
    expect(decodeTime(parseOne(encodeUtcTime(g))).toISOString()).toBe(g.toISOString());
  });

  it('SET OF is sorted', () => {
    const s = setOf(Buffer.from([0x04, 0x01, 0x02]), Buffer.from([0x04, 0x01, 0x01]));
    expect([...s]).toEqual([0x31, 0x06, 0x04, 0x01, 0x01, 0x04, 0x01, 0x02]);
  });

  it('never reads past the end: random bytes give DerError or a bounded element', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          const t = readTlv(b, 0);
          expect(t.end).toBeLessThanOrEqual(b.length);
          if (t.constructed) children(t);
        } catch (e) {
          expect(e).toBeInstanceOf(DerError);
        }
      }),
      { numRuns: 2000 },
    );
    expect(() => parseOne(seq(Buffer.from([0x02, 0x01, 0x01])).subarray(0, 3))).toThrow(DerError);
  });
});
