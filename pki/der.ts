/**
 * A small BER reader and DER writer.
 *
 * Why not a general ASN.1 library: the verifier must keep the exact bytes that were signed (signed attributes,
 * tbsCertificate, tbsCertList) and must never throw on hostile input, and the CRL index must walk 400,000
 * entries without allocating a node per element. A reader that returns offsets into the original buffer does all
 * three. Every read is bounds-checked and raises `DerError`, which callers turn into a `bad-format` result.
 */

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** One tag-length-value element, as offsets into `buf`. `end` is exclusive and includes end-of-contents octets. */
export interface Tlv {
  buf: Uint8Array;
  /** The first identifier octet (class + constructed bit + tag number when < 31). */
  tag: number;
  constructed: boolean;
  start: number;
  /** First content octet. */
  contentStart: number;
  /** One past the last content octet (before end-of-contents octets for indefinite lengths). */
  contentEnd: number;
  end: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

const MAX_DEPTH = 64;

/** Reads the element starting at `offset`; `limit` is where the enclosing content ends. */
export function readTlv(buf: Uint8Array, offset: number, limit: number = buf.length, depth = 0): Tlv {
  if (depth > MAX_DEPTH) throw new DerError('nesting too deep');
  let p = offset;
  if (p >= limit) throw new DerError('truncated: no tag');
  const tag = buf[p++]!;
  if ((tag & 0x1f) === 0x1f) {
    // High tag numbers do not occur in the structures we read; skip them rather than misparse.
    let n = 0;
    while (true) {
      if (p >= limit) throw new DerError('truncated tag');
      const b = buf[p++]!;
      if (++n > 4) throw new DerError('tag too long');
      if ((b & 0x80) === 0) break;
    }
  }
  const constructed = (tag & 0x20) !== 0;
  if (p >= limit) throw new DerError('truncated: no length');
  const first = buf[p++]!;
  if (first === 0x80) {
    // Indefinite length (BER, e.g. streamed CMS): contents run until the end-of-contents octets 00 00.
    if (!constructed) throw new DerError('indefinite length on a primitive element');
    const contentStart = p;
    while (true) {
      if (p + 2 > limit) throw new DerError('missing end-of-contents');
      if (buf[p] === 0 && buf[p + 1] === 0) {
        return { buf, tag, constructed, start: offset, contentStart, contentEnd: p, end: p + 2 };
      }
      p = readTlv(buf, p, limit, depth + 1).end;
    }
  }
  let len: number;
  if (first < 0x80) {
    len = first;
  } else {
    const n = first & 0x7f;
    if (n > 4) throw new DerError('length too long');
    len = 0;
    for (let i = 0; i < n; i++) {
      if (p >= limit) throw new DerError('truncated length');
      len = len * 256 + buf[p++]!;
    }
  }
  const contentStart = p;
  const contentEnd = p + len;
  if (contentEnd > limit) throw new DerError('truncated content');
  return { buf, tag, constructed, start: offset, contentStart, contentEnd, end: contentEnd };
}

/** The children of a constructed element. */
export function children(t: Tlv): Tlv[] {
  if (!t.constructed) throw new DerError('not constructed');
  const out: Tlv[] = [];
  let p = t.contentStart;
  while (p < t.contentEnd) {
    const c = readTlv(t.buf, p, t.contentEnd);
    out.push(c);
    p = c.end;
  }
  return out;
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t) throw new DerError(`missing ${what}`);
  if (t.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`);
  return t;
}

export function parseOne(buf: Uint8Array): Tlv {
  const t = readTlv(buf, 0, buf.length);
  if (t.end !== buf.length) throw new DerError('trailing bytes');
  return t;
}

/** The whole element's bytes (a view, not a copy). */
export const raw = (t: Tlv): Uint8Array => t.buf.subarray(t.start, t.end);
export const content = (t: Tlv): Uint8Array => t.buf.subarray(t.contentStart, t.contentEnd);

/** OCTET STRING content, concatenating the segments of a constructed (BER) string. */
export function octets(t: Tlv): Uint8Array {
  if ((t.tag & 0x1f) !== TAG.OCTET_STRING && (t.tag & 0xc0) === 0) throw new DerError('not an OCTET STRING');
  if (!t.constructed) return content(t);
  const parts = children(t).map(octets);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function decodeOid(t: Tlv): string {
  if (t.tag !== TAG.OID) throw new DerError('not an OID');
  const b = content(t);
  if (b.length === 0) throw new DerError('empty OID');
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large');
    if ((b[i]! & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        arcs.push(first, v - first * 40);
      } else arcs.push(v);
      v = 0;
    }
  }
  if ((b[b.length - 1]! & 0x80) !== 0) throw new DerError('truncated OID');
  return arcs.join('.');
}

/** INTEGER as lowercase hex without redundant leading zero octets (how serials are compared everywhere). */
export function integerHex(t: Tlv): string {
  if (t.tag !== TAG.INTEGER) throw new DerError('not an INTEGER');
  return normalizeSerialHex(Buffer.from(t.buf.buffer, t.buf.byteOffset + t.contentStart, t.contentEnd - t.contentStart).toString('hex'));
}

export function normalizeSerialHex(hex: string): string {
  let h = hex.toLowerCase();
  let i = 0;
  while (i + 2 < h.length && h[i] === '0' && h[i + 1] === '0') i += 2;
  h = h.slice(i);
  return h.length === 0 ? '00' : h;
}

export function integerNumber(t: Tlv): number {
  if (t.tag !== TAG.INTEGER) throw new DerError('not an INTEGER');
  const b = content(t);
  if (b.length === 0 || b.length > 6) throw new DerError('INTEGER out of range');
  let v = 0;
  for (const x of b) v = v * 256 + x;
  if (b[0]! & 0x80) v -= 2 ** (8 * b.length);
  return v;
}

/** UTCTime / GeneralizedTime in the forms X.509 and CMS use (Z-terminated, optional fraction). */
export function decodeTime(t: Tlv): Date {
  const s = Buffer.from(content(t)).toString('latin1');
  let m: RegExpExecArray | null;
  if (t.tag === TAG.UTC_TIME) {
    m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(s);
    if (!m) throw new DerError('bad UTCTime');
    const yy = Number(m[1]);
    // RFC 5280: UTCTime years 50..99 are 19xx.
    return utc(yy >= 50 ? 1900 + yy : 2000 + yy, m[2]!, m[3]!, m[4]!, m[5]!, m[6] ?? '0', '');
  }
  if (t.tag === TAG.GENERALIZED_TIME) {
    m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d{1,9}))?Z$/.exec(s);
    if (!m) throw new DerError('bad GeneralizedTime');
    return utc(Number(m[1]), m[2]!, m[3]!, m[4]!, m[5]!, m[6]!, m[7] ?? '');
  }
  throw new DerError('not a time');
}

function utc(y: number, mo: string, d: string, h: string, mi: string, s: string, frac: string): Date {
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const date = new Date(Date.UTC(y, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(d)) throw new DerError('bad date');
  return date;
}

/** Decodes the string types that occur in X.500 names. */
export function decodeString(t: Tlv): string {
  const b = content(t);
  switch (t.tag) {
    case TAG.UTF8_STRING:
      return Buffer.from(b).toString('utf8');
    case TAG.BMP_STRING: {
      let s = '';
      for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
      return s;
    }
    case TAG.UNIVERSAL_STRING: {
      let s = '';
      for (let i = 0; i + 3 < b.length; i += 4) {
        const cp = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    default:
      return Buffer.from(b).toString('latin1');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Writer: each function returns the complete encoding of one element.

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  while (n > 0) {
    out.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  const len = parts.reduce((n, p) => n + p.length, 0);
  return Buffer.concat([Buffer.from([tag, ...lengthBytes(len)]), ...parts]);
}

export const seq = (...parts: Uint8Array[]) => tlv(TAG.SEQUENCE, ...parts);

/** SET OF in DER order: elements sorted by their encodings (X.690 11.6). */
export function setOf(...parts: Uint8Array[]): Buffer {
  const sorted = [...parts].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return tlv(TAG.SET, ...sorted);
}

export function encodeOid(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  const out: number[] = [];
  const push = (v: number) => {
    const bytes = [v & 0x7f];
    v = Math.floor(v / 128);
    while (v > 0) {
      bytes.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(...bytes);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(TAG.OID, Buffer.from(out));
}

export function encodeInteger(value: number | Uint8Array): Buffer {
  let b: Buffer;
  if (typeof value === 'number') {
    const bytes: number[] = [];
    let v = value;
    do {
      bytes.unshift(v & 0xff);
      v = Math.floor(v / 256);
    } while (v > 0);
    b = Buffer.from(bytes);
  } else b = Buffer.from(value);
  // Minimal two's complement of a non-negative number: strip leading zeros, then add one if the top bit is set.
  let i = 0;
  while (i < b.length - 1 && b[i] === 0 && (b[i + 1]! & 0x80) === 0) i++;
  b = b.subarray(i);
  if (b.length === 0) b = Buffer.from([0]);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(TAG.INTEGER, b);
}

export const encodeOctets = (b: Uint8Array) => tlv(TAG.OCTET_STRING, b);
export const encodeNull = () => Buffer.from([0x05, 0x00]);
export const encodeBitString = (b: Uint8Array, unused = 0) => tlv(TAG.BIT_STRING, Buffer.from([unused]), b);
/** Context-specific tag number n; constructed unless told otherwise. */
export const ctx = (n: number, constructed: boolean, ...parts: Uint8Array[]) => tlv(0x80 | (constructed ? 0x20 : 0) | n, ...parts);

export function encodeUtcTime(d: Date): Buffer {
  // RFC 5652 (signingTime) and RFC 5280: UTCTime for 1950..2049, GeneralizedTime otherwise.
  const y = d.getUTCFullYear();
  const p = (n: number) => String(n).padStart(2, '0');
  const body = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(TAG.UTC_TIME, Buffer.from(`${p(y % 100)}${body}`, 'latin1'));
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(`${y}${body}`, 'latin1'));
}
