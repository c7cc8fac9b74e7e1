/**
 * A revocation index built straight from a CRL's DER.
 *
 * National CRLs hold hundreds of thousands of entries. A general ASN.1 parser builds an object per element (five or
 * more per entry) and takes seconds to a minute and hundreds of megabytes; here the revokedCertificates list is
 * walked with an inline tag/length loop that allocates one string per entry (the serial in hex) and stores the
 * entry's offset, so the revocation date and reason are decoded only for the rare serial someone asks about.
 * The CRL's own signature is checked over the raw tbsCertList octets before the index is trusted.
 */
import { DerError, TAG, children, content, decodeOid, decodeTime, expectTag, integerNumber, parseOne, raw, readTlv, type Tlv } from './der';
import { formatName, parseName, pemToDerList, type ParsedCertificate } from './certificate';
import { UnsupportedAlgorithm, verifySignature } from './algorithms';

export class CrlError extends Error {
  constructor(
    readonly code: 'bad-format' | 'bad-signature' | 'unknown-issuer' | 'unsupported-algorithm',
    message: string,
  ) {
    super(message);
    this.name = 'CrlError';
  }
}

export interface Revocation {
  serial: string;
  revocationDate: Date;
  /** CRLReason code (RFC 5280 5.3.1) when the entry has one. */
  reason: number | null;
}

export interface CrlIndex {
  issuerDer: Uint8Array;
  issuer: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
  /** Number of revoked serials. */
  size: number;
  /** The CA certificate whose key verified the CRL's signature. */
  signedBy: ParsedCertificate;
  /** Lookup of a serial (lowercase hex, as `ParsedCertificate.serialHex`): constant-time, or a walk with 'few'. */
  lookup(serialHex: string): Revocation | null;
}

const CRL_REASON = '2.5.29.21';

/** Reads the DER length at `p` (after the tag); returns [length, offset of the contents]. */
function readLength(buf: Uint8Array, p: number, limit: number): [number, number] {
  if (p >= limit) throw new DerError('truncated length');
  const first = buf[p]!;
  if (first < 0x80) return [first, p + 1];
  const n = first & 0x7f;
  if (n === 0 || n > 4 || p + 1 + n > limit) throw new DerError('unsupported length in CRL entry');
  let len = 0;
  for (let i = 1; i <= n; i++) len = len * 256 + buf[p + i]!;
  return [len, p + 1 + n];
}

export interface LoadCrlOptions {
  /** Candidate issuers; the CRL is accepted only if one of them (same name) verifies its signature. */
  issuers: ParsedCertificate[];
  /**
   * 'many' (default): index every serial in a Map, for a process that checks request after request (the desk).
   * 'few': only check the list's structure; each lookup walks the list (a few milliseconds for 400,000 entries).
   * A command that verifies one request (`tirkeu verify-request`) spares the index's 400,000 strings that way.
   */
  lookups?: 'many' | 'few';
}

/**
 * Walks the revokedCertificates list, checking each entry's structure, and calls `visit` with each serial's octets
 * (sign octet stripped, so serials compare equal however they were padded; see normalizeSerialHex) and the entry's
 * offset. Returns the number of entries. `visit` returning true stops the walk.
 */
function walkRevoked(buf: Buffer, p: number, end: number, visit: (start: number, end: number, entry: number) => boolean | void): number {
  let n = 0;
  while (p < end) {
    if (buf[p] !== TAG.SEQUENCE) throw new DerError('revoked entry is not a SEQUENCE');
    const [entryLen, entryStart] = readLength(buf, p + 1, end);
    const entryEnd = entryStart + entryLen;
    if (entryEnd > end || buf[entryStart] !== TAG.INTEGER) throw new DerError('bad revoked entry');
    const [serialLen, serialStart] = readLength(buf, entryStart + 1, entryEnd);
    if (serialLen === 0 || serialStart + serialLen > entryEnd) throw new DerError('bad serial');
    let s = serialStart;
    const e = serialStart + serialLen;
    while (s < e - 1 && buf[s] === 0) s++;
    n++;
    if (visit(s, e, p)) break;
    p = entryEnd;
  }
  return n;
}

/** Builds the index. Throws CrlError when the CRL is malformed or no candidate issuer signed it. */
export function loadCrl(der: Uint8Array, options: LoadCrlOptions): CrlIndex {
  const buf = Buffer.isBuffer(der) ? der : Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  let tbs: Tlv | undefined, sigAlgT: Tlv | undefined, sigT: Tlv | undefined;
  let fields: Tlv[];
  try {
    const list = parseOne(buf);
    [tbs, sigAlgT, sigT] = children(expectTag(list, TAG.SEQUENCE, 'CertificateList'));
    // Only the top level of tbsCertList is split; the revoked list stays one opaque element here.
    fields = children(expectTag(tbs, TAG.SEQUENCE, 'tbsCertList'));
  } catch (e) {
    throw new CrlError('bad-format', `not a CRL: ${(e as Error).message}`);
  }
  let i = 0;
  let issuerT: Tlv,
    thisUpdate: Date,
    nextUpdate: Date | null = null,
    revokedT: Tlv | undefined;
  try {
    if (fields[i]?.tag === TAG.INTEGER) {
      if (integerNumber(fields[i]!) !== 1) throw new DerError('unknown CRL version');
      i++;
    }
    i++; // inner signature algorithm; the outer one is used
    issuerT = expectTag(fields[i++], TAG.SEQUENCE, 'issuer');
    thisUpdate = decodeTime(fields[i++]!);
    const f = fields[i];
    if (f && (f.tag === TAG.UTC_TIME || f.tag === TAG.GENERALIZED_TIME)) {
      nextUpdate = decodeTime(f);
      i++;
    }
    if (fields[i]?.tag === TAG.SEQUENCE) revokedT = fields[i++];
  } catch (e) {
    throw new CrlError('bad-format', `bad tbsCertList: ${(e as Error).message}`);
  }

  const issuerDer = raw(issuerT);
  let signedBy: ParsedCertificate | null = null;
  let unsupported = false;
  let sigAlg: string, sigParams: Uint8Array | null, sigBits: Uint8Array;
  try {
    const sigParts = children(expectTag(sigAlgT, TAG.SEQUENCE, 'signatureAlgorithm'));
    sigAlg = decodeOid(expectTag(sigParts[0], TAG.OID, 'algorithm'));
    sigParams = sigParts[1] ? raw(sigParts[1]) : null;
    sigBits = content(expectTag(sigT, TAG.BIT_STRING, 'signatureValue')).subarray(1);
  } catch (e) {
    throw new CrlError('bad-format', `bad CRL signature field: ${(e as Error).message}`);
  }
  for (const cand of options.issuers) {
    if (Buffer.compare(Buffer.from(cand.subjectDer), issuerDer) !== 0) continue;
    try {
      if (verifySignature(sigAlg, sigParams, raw(tbs!), sigBits, cand.spki)) {
        signedBy = cand;
        break;
      }
    } catch (e) {
      if (e instanceof UnsupportedAlgorithm) unsupported = true;
      else throw e;
    }
  }
  if (!signedBy) {
    const issuerName = safeName(issuerT);
    if (unsupported)
      throw new CrlError('unsupported-algorithm', `the CRL of ${issuerName} uses an algorithm this workstation cannot verify`);
    if (!options.issuers.some((c) => Buffer.compare(Buffer.from(c.subjectDer), issuerDer) === 0))
      throw new CrlError('unknown-issuer', `the CRL's issuer ${issuerName} is not a trusted CA`);
    throw new CrlError('bad-signature', `the CRL of ${issuerName} has an invalid signature`);
  }

  const index = new Map<string, number>();
  const few = options.lookups === 'few';
  let size = 0;
  if (revokedT) {
    try {
      size = walkRevoked(buf, revokedT.contentStart, revokedT.contentEnd, (s, e, p) => {
        if (!few) index.set(buf.toString('hex', s, e), p);
      });
    } catch (e) {
      throw new CrlError('bad-format', `bad revokedCertificates: ${(e as Error).message}`);
    }
    if (!few) size = index.size;
  }
  const find = (serialHex: string): number | undefined => {
    if (!few) return index.get(serialHex);
    if (!revokedT || !/^[0-9a-f]+$/.test(serialHex)) return undefined;
    const target = Buffer.from(serialHex.length % 2 ? `0${serialHex}` : serialHex, 'hex');
    let found: number | undefined;
    walkRevoked(buf, revokedT.contentStart, revokedT.contentEnd, (s, e, p) => {
      if (e - s === target.length && buf.compare(target, 0, target.length, s, e) === 0) found = p;
      return found !== undefined;
    });
    return found;
  };

  return {
    issuerDer: Uint8Array.from(issuerDer),
    issuer: safeName(issuerT),
    thisUpdate: thisUpdate!,
    nextUpdate,
    size,
    signedBy,
    lookup(serialHex: string): Revocation | null {
      const at = find(serialHex);
      if (at === undefined) return null;
      return decodeEntry(buf, at, serialHex);
    },
  };
}

function safeName(t: Tlv): string {
  try {
    return formatName(parseName(t));
  } catch {
    return '(unreadable name)';
  }
}

function decodeEntry(buf: Buffer, at: number, serial: string): Revocation {
  const entry = readTlv(buf, at);
  const [, dateT, extsT] = children(entry);
  let reason: number | null = null;
  if (extsT) {
    for (const ext of children(extsT)) {
      const parts = children(ext);
      if (decodeOid(parts[0]!) !== CRL_REASON) continue;
      const v = parseOne(content(parts[parts.length - 1]!));
      reason = content(v)[0] ?? null;
    }
  }
  return { serial, revocationDate: decodeTime(dateT!), reason };
}

/** CRLs from a file: PEM (one or several) or DER. */
export function crlsFromFile(bytes: Uint8Array): Uint8Array[] {
  const text = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  if (text.includes('-----BEGIN')) return pemToDerList(Buffer.from(bytes).toString('latin1'), 'X509 CRL');
  return [bytes];
}
