import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalBytes, canonicalJson } from '../../../common/canonical-json';

describe('canonicalJson', () => {
  it('sorts keys, drops whitespace, keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: [3, 1, { d: null, c: true }], ä: 'x' })).toBe('{"a":[3,1,{"c":true,"d":null}],"b":1,"ä":"x"}');
  });

  it('numbers as ECMAScript prints them (RFC 8785)', () => {
    expect(canonicalJson([1.0, -0, 1e21, 0.1, 123456789012345680000])).toBe('[1,0,1e+21,0.1,123456789012345680000]');
  });

  it('refuses what JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ a: NaN })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson([undefined])).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ a: 1n })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson('\ud800')).toThrow(CanonicalJsonError);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/circular/);
  });

  it('UTF-8 without BOM, Kazakh letters included', () => {
    expect(Buffer.from(canonicalBytes({ аты: 'Әлия Ғалымқызы' })).toString('utf8')).toBe('{"аты":"Әлия Ғалымқызы"}');
  });

  it('property: the same bytes whatever the key order; parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        const shuffled = JSON.parse(JSON.stringify(v), function (this: unknown, _k, x) {
          if (x && typeof x === 'object' && !Array.isArray(x)) return Object.fromEntries(Object.entries(x).reverse());
          return x;
        });
        expect(canonicalJson(shuffled)).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(Buffer.from(canonicalBytes(v)).equals(Buffer.from(text, 'utf8'))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
