/**
 * The canonical form of a document: the exact bytes a digital signature covers.
 *
 * A signature is over bytes, not over "the same data": the document must serialize to the same bytes on every
 * workstation, in every version, years later when it is re-verified. The form follows RFC 8785 (JSON
 * Canonicalization Scheme): object keys sorted by UTF-16 code units, no whitespace, ECMAScript number and string
 * serialization, UTF-8. Values JSON cannot represent faithfully (NaN, Infinity, undefined in arrays, BigInt,
 * lone surrogates) are refused rather than silently changed, because a silent change is a different document.
 *
 * No Node or DOM APIs: the renderer shows the same bytes it asks the main process to sign.
 */

export class CanonicalJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalJsonError';
  }
}

/** The canonical JSON text of `value`. */
export function canonicalJson(value: unknown): string {
  return serialize(value, '$', new Set());
}

function serialize(value: unknown, path: string, seen: Set<object>): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path}: ${value} has no JSON form`);
      // ECMAScript's Number-to-string is exactly what RFC 8785 prescribes (and -0 becomes 0).
      return JSON.stringify(value);
    case 'string':
      assertWellFormed(value, path);
      return JSON.stringify(value);
    case 'object': {
      if (seen.has(value)) throw new CanonicalJsonError(`${path}: circular reference`);
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = `[${value
          .map((v, i) => {
            if (v === undefined || typeof v === 'function' || typeof v === 'symbol')
              throw new CanonicalJsonError(`${path}[${i}]: ${typeof v} has no JSON form`);
            return serialize(v, `${path}[${i}]`, seen);
          })
          .join(',')}]`;
      } else {
        const entries = Object.entries(value as Record<string, unknown>).filter(
          ([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol',
        );
        // Default sort compares UTF-16 code units, which is the order RFC 8785 requires.
        entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        out = `{${entries
          .map(([k, v]) => {
            assertWellFormed(k, path);
            return `${JSON.stringify(k)}:${serialize(v, `${path}.${k}`, seen)}`;
          })
          .join(',')}}`;
      }
      seen.delete(value);
      return out;
    }
    default:
      throw new CanonicalJsonError(`${path}: ${typeof value} has no JSON form`);
  }
}

function assertWellFormed(s: string, path: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) throw new CanonicalJsonError(`${path}: lone surrogate`);
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) throw new CanonicalJsonError(`${path}: lone surrogate`);
  }
}

/** UTF-8 encoding of a well-formed string (written out to stay free of platform APIs). */
export function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}

/** The bytes a signature covers: canonical JSON, UTF-8, no BOM, no trailing newline. */
export function canonicalBytes(doc: unknown): Uint8Array {
  return utf8(canonicalJson(doc));
}
