/**
 * CMS SignedData (RFC 5652) in the CAdES-BES profile (ETSI EN 319 122-1): building SignerInfos with an external
 * signing function (a token signs, we never hold its key), adding a signer to an existing SignedData, and parsing
 * and checking SignerInfos.
 *
 * Existing structures are spliced byte for byte rather than re-encoded: a re-encoding that changes a single octet of
 * someone else's signed attributes would break their signature.
 */
import { createHash } from 'node:crypto';
import {
  DerError,
  TAG,
  children,
  content,
  ctx,
  decodeOid,
  decodeTime,
  encodeInteger,
  encodeNull,
  encodeOctets,
  encodeOid,
  encodeUtcTime,
  expectTag,
  integerHex,
  integerNumber,
  octets,
  parseOne,
  raw,
  seq,
  setOf,
  tlv,
  type Tlv,
} from './der';
import { OID } from './oids';
import { digest, digestName, verifySignature, UnsupportedAlgorithm, type DigestName } from './algorithms';
import { parseCertificate, type ParsedCertificate } from './certificate';

export type KeyAlgorithm = 'rsa' | 'ec';

/** Signs the DER of the signed attributes with SHA-256 and returns the signature (DER ECDSA-Sig-Value for EC). */
export type RawSigner = (toBeSigned: Buffer) => Promise<Uint8Array>;

export interface CadesInput {
  /** The canonical document bytes the signature covers. */
  content: Uint8Array;
  certificate: ParsedCertificate;
  keyAlgorithm: KeyAlgorithm;
  sign: RawSigner;
  signingTime: Date;
  /** An existing SignedData (DER) over the same content: the new signer is added beside the existing ones. */
  existing?: Uint8Array;
  /** Put the content inside the SignedData (citizen requests do; documents signed here are detached). */
  encapsulate?: boolean;
}

const sha256Alg = () => seq(encodeOid(OID.sha256));

function attribute(oid: string, ...values: Uint8Array[]): Buffer {
  return seq(encodeOid(oid), setOf(...values));
}

/** IssuerAndSerialNumber / IssuerSerial helpers. */
const generalNamesDirectory = (nameDer: Uint8Array) => seq(ctx(4, true, nameDer));

export function signedAttributes(
  contentDigest: Uint8Array,
  cert: ParsedCertificate,
  signingTime: Date,
  contentType: string = OID.data,
): Buffer {
  // ESSCertIDv2 with the default hash (SHA-256) omits hashAlgorithm: DER forbids encoding a DEFAULT value.
  const certHash = createHash('sha256').update(cert.der).digest();
  const essCertIdV2 = seq(encodeOctets(certHash), seq(generalNamesDirectory(cert.issuerDer), cert.serialDer));
  const signingCertificateV2 = seq(seq(essCertIdV2));
  return setOf(
    attribute(OID.contentType, encodeOid(contentType)),
    attribute(OID.signingTime, encodeUtcTime(signingTime)),
    attribute(OID.messageDigest, encodeOctets(contentDigest)),
    attribute(OID.signingCertificateV2, signingCertificateV2),
  );
}

/** Builds one SignerInfo (version 1, issuerAndSerialNumber) and returns it with the SignedData around it. */
export async function createCades(input: CadesInput): Promise<Buffer> {
  const { certificate: cert } = input;
  const { signingTime } = input;
  const contentDigest = digest('sha256', input.content);

  let existing: ParsedSignedData | null = null;
  if (input.existing) {
    existing = parseSignedData(input.existing);
    if (existing.content && Buffer.compare(Buffer.from(existing.content), Buffer.from(input.content)) !== 0)
      throw new DerError('the existing signature encapsulates a different document');
    for (const si of existing.signerInfos) {
      const md = si.attributes.get(OID.messageDigest)?.[0];
      const alg = digestName(si.digestAlgorithm);
      if (md && alg && Buffer.compare(Buffer.from(octets(md)), digest(alg, input.content)) !== 0)
        throw new DerError('the existing signature is over a different document');
    }
  }

  const attrs = signedAttributes(contentDigest, cert, signingTime, existing?.contentType ?? OID.data);
  const signature = await input.sign(attrs);
  const sigAlg = input.keyAlgorithm === 'rsa' ? seq(encodeOid(OID.sha256WithRSA), encodeNull()) : seq(encodeOid(OID.ecdsaWithSHA256));
  const signerInfo = seq(
    encodeInteger(1),
    seq(cert.issuerDer, cert.serialDer),
    sha256Alg(),
    // [0] IMPLICIT SET OF Attribute: the same octets as `attrs` with the SET tag replaced by A0.
    Buffer.concat([Buffer.from([0xa0]), attrs.subarray(1)]),
    sigAlg,
    encodeOctets(signature),
  );

  const digestAlgs = new Map<string, Uint8Array>();
  const certs = new Map<string, Uint8Array>();
  const signerInfos: Uint8Array[] = [];
  let version = 1;
  let encap: Uint8Array;
  let crls: Uint8Array | null = null;
  if (existing) {
    for (const d of existing.digestAlgorithms) digestAlgs.set(Buffer.from(d).toString('hex'), d);
    for (const c of existing.certificates) certs.set(Buffer.from(c).toString('hex'), c);
    for (const si of existing.signerInfos) signerInfos.push(si.raw);
    version = Math.max(version, existing.version);
    encap = existing.encapRaw;
    crls = existing.crlsRaw;
  } else {
    encap = input.encapsulate ? seq(encodeOid(OID.data), ctx(0, true, encodeOctets(input.content))) : seq(encodeOid(OID.data));
  }
  digestAlgs.set(sha256Alg().toString('hex'), sha256Alg());
  certs.set(Buffer.from(cert.der).toString('hex'), cert.der);
  signerInfos.push(signerInfo);

  const signedData = seq(
    encodeInteger(version),
    setOf(...digestAlgs.values()),
    encap,
    tlv(0xa0, ...sortDer([...certs.values()])),
    ...(crls ? [crls] : []),
    setOf(...signerInfos),
  );
  return seq(encodeOid(OID.signedData), ctx(0, true, signedData));
}

const sortDer = (parts: Uint8Array[]) => [...parts].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

// ---------------------------------------------------------------------------------------------------------------
// Parsing

export type SignerId = { issuerDer: Uint8Array; serialHex: string } | { subjectKeyId: string };

export interface ParsedSignerInfo {
  raw: Uint8Array;
  version: number;
  sid: SignerId;
  digestAlgorithm: string;
  /** The [0] IMPLICIT signed attributes exactly as received, or null when the signature covers the content. */
  signedAttrsRaw: Uint8Array | null;
  attributes: Map<string, Tlv[]>;
  signatureAlgorithm: string;
  signatureParams: Uint8Array | null;
  signature: Uint8Array;
}

export interface ParsedSignedData {
  version: number;
  digestAlgorithms: Uint8Array[];
  contentType: string;
  /** Encapsulated content, or null when detached. */
  content: Uint8Array | null;
  encapRaw: Uint8Array;
  certificates: Uint8Array[];
  crlsRaw: Uint8Array | null;
  signerInfos: ParsedSignerInfo[];
}

/** Parses ContentInfo(SignedData), DER or BER. Throws DerError on anything malformed. */
export function parseSignedData(der: Uint8Array): ParsedSignedData {
  const ci = parseOne(der);
  const [typeT, explicit] = children(expectTag(ci, TAG.SEQUENCE, 'ContentInfo'));
  if (decodeOid(expectTag(typeT, TAG.OID, 'contentType')) !== OID.signedData) throw new DerError('not a SignedData');
  const sd = children(expectTag(explicit, 0xa0, 'content'))[0];
  const f = children(expectTag(sd, TAG.SEQUENCE, 'SignedData'));
  let i = 0;
  const version = integerNumber(expectTag(f[i++], TAG.INTEGER, 'version'));
  const digestAlgorithms = children(expectTag(f[i++], TAG.SET, 'digestAlgorithms')).map(raw);
  const encap = expectTag(f[i++], TAG.SEQUENCE, 'encapContentInfo');
  const encapParts = children(encap);
  const contentType = decodeOid(expectTag(encapParts[0], TAG.OID, 'eContentType'));
  let eContent: Uint8Array | null = null;
  if (encapParts[1]) {
    const inner = children(expectTag(encapParts[1], 0xa0, 'eContent'))[0];
    if (!inner) throw new DerError('empty eContent');
    eContent = octets(inner);
  }
  let certificates: Uint8Array[] = [];
  let crlsRaw: Uint8Array | null = null;
  if (f[i]?.tag === 0xa0)
    certificates = children(f[i++]!)
      .filter((c) => c.tag === TAG.SEQUENCE)
      .map(raw);
  if (f[i]?.tag === 0xa1) crlsRaw = raw(f[i++]!);
  const signerInfos = children(expectTag(f[i++], TAG.SET, 'signerInfos')).map(parseSignerInfo);
  if (i !== f.length) throw new DerError('unexpected fields in SignedData');
  return {
    version,
    digestAlgorithms,
    contentType,
    content: eContent,
    encapRaw: raw(encap),
    certificates,
    crlsRaw,
    signerInfos,
  };
}

function parseSignerInfo(t: Tlv): ParsedSignerInfo {
  const f = children(expectTag(t, TAG.SEQUENCE, 'SignerInfo'));
  let i = 0;
  const version = integerNumber(expectTag(f[i++], TAG.INTEGER, 'version'));
  const sidT = f[i++];
  let sid: SignerId;
  if (sidT?.tag === TAG.SEQUENCE) {
    const [issuer, serial] = children(sidT);
    sid = {
      issuerDer: raw(expectTag(issuer, TAG.SEQUENCE, 'issuer')),
      serialHex: integerHex(expectTag(serial, TAG.INTEGER, 'serial')),
    };
  } else if (sidT?.tag === 0x80) {
    sid = { subjectKeyId: Buffer.from(content(sidT)).toString('hex') };
  } else throw new DerError('bad SignerIdentifier');
  const digestAlgorithm = decodeOid(children(expectTag(f[i++], TAG.SEQUENCE, 'digestAlgorithm'))[0]!);
  let signedAttrsRaw: Uint8Array | null = null;
  const attributes = new Map<string, Tlv[]>();
  if (f[i]?.tag === 0xa0) {
    const a = f[i++]!;
    signedAttrsRaw = raw(a);
    for (const attr of children(a)) {
      const [oidT, values] = children(expectTag(attr, TAG.SEQUENCE, 'Attribute'));
      const oid = decodeOid(expectTag(oidT, TAG.OID, 'attrType'));
      // A repeated attribute type is forbidden (RFC 5652 5.3) and a classic way to smuggle a second digest.
      if (attributes.has(oid)) throw new DerError('duplicate signed attribute');
      attributes.set(oid, children(expectTag(values, TAG.SET, 'attrValues')));
    }
  }
  const sigAlgParts = children(expectTag(f[i++], TAG.SEQUENCE, 'signatureAlgorithm'));
  const signatureAlgorithm = decodeOid(sigAlgParts[0]!);
  const signatureParams = sigAlgParts[1] ? raw(sigAlgParts[1]) : null;
  const signature = content(expectTag(f[i++], TAG.OCTET_STRING, 'signature'));
  return {
    raw: raw(t),
    version,
    sid,
    digestAlgorithm,
    signedAttrsRaw,
    attributes,
    signatureAlgorithm,
    signatureParams,
    signature,
  };
}

export function findSignerCertificate(si: ParsedSignerInfo, certs: ParsedCertificate[]): ParsedCertificate | null {
  const sid = si.sid;
  if ('subjectKeyId' in sid) return certs.find((c) => c.subjectKeyId === sid.subjectKeyId) ?? null;
  return (
    certs.find((c) => c.serialHex === sid.serialHex && Buffer.compare(Buffer.from(c.issuerDer), Buffer.from(sid.issuerDer)) === 0) ?? null
  );
}

export type SignerCheck =
  | { ok: true; signingTime: Date | null }
  | { ok: false; reason: 'bad-signature' | 'unsupported-algorithm' | 'bad-format'; detail: string; signingTime: Date | null };

/** Checks one SignerInfo against the content and its certificate: digest, signed attributes, signature. */
export function checkSignerInfo(si: ParsedSignerInfo, contentType: string, data: Uint8Array, cert: ParsedCertificate): SignerCheck {
  let signingTime: Date | null = null;
  try {
    const st = si.attributes.get(OID.signingTime)?.[0];
    if (st) signingTime = decodeTime(st);
  } catch {
    return { ok: false, reason: 'bad-format', detail: 'bad signingTime', signingTime: null };
  }
  const hash: DigestName | null = digestName(si.digestAlgorithm);
  if (!hash) return { ok: false, reason: 'unsupported-algorithm', detail: si.digestAlgorithm, signingTime };
  let toVerify: Uint8Array = data;
  if (si.signedAttrsRaw) {
    const ct = si.attributes.get(OID.contentType)?.[0];
    const md = si.attributes.get(OID.messageDigest)?.[0];
    if (!ct || !md) return { ok: false, reason: 'bad-format', detail: 'missing contentType or messageDigest', signingTime };
    if (ct.tag !== TAG.OID || decodeOid(ct) !== contentType)
      return { ok: false, reason: 'bad-signature', detail: 'contentType attribute differs', signingTime };
    if (md.tag !== TAG.OCTET_STRING || Buffer.compare(Buffer.from(content(md)), digest(hash, data)) !== 0)
      return { ok: false, reason: 'bad-signature', detail: 'message digest differs: the content was altered', signingTime };
    let essProblem: string | null;
    try {
      essProblem = checkEssCertId(si, cert);
    } catch (e) {
      if (e instanceof UnsupportedAlgorithm) return { ok: false, reason: 'unsupported-algorithm', detail: e.oid, signingTime };
      if (e instanceof DerError) return { ok: false, reason: 'bad-format', detail: e.message, signingTime };
      throw e;
    }
    if (essProblem) return { ok: false, reason: 'bad-signature', detail: essProblem, signingTime };
    // The signature covers the attributes encoded as SET OF (tag 0x31), not as the [0] IMPLICIT field.
    const copy = Buffer.from(si.signedAttrsRaw);
    copy[0] = TAG.SET;
    toVerify = copy;
  }
  try {
    const ok = verifySignature(si.signatureAlgorithm, si.signatureParams, toVerify, si.signature, cert.spki, hash);
    return ok ? { ok: true, signingTime } : { ok: false, reason: 'bad-signature', detail: 'signature does not verify', signingTime };
  } catch (e) {
    if (e instanceof UnsupportedAlgorithm) return { ok: false, reason: 'unsupported-algorithm', detail: e.oid, signingTime };
    if (e instanceof DerError) return { ok: false, reason: 'bad-format', detail: e.message, signingTime };
    throw e;
  }
}

/**
 * The signing-certificate attribute binds the signature to one certificate, so a certificate with the same key
 * (re-issued with other attributes) cannot be substituted. A mismatch is a bad signature.
 */
function checkEssCertId(si: ParsedSignerInfo, cert: ParsedCertificate): string | null {
  const v2 = si.attributes.get(OID.signingCertificateV2)?.[0];
  const v1 = si.attributes.get(OID.signingCertificate)?.[0];
  const attr = v2 ?? v1;
  if (!attr) return null;
  const certs = children(expectTag(children(expectTag(attr, TAG.SEQUENCE, 'SigningCertificate'))[0], TAG.SEQUENCE, 'certs'));
  const first = certs[0];
  if (!first) return 'empty signing-certificate attribute';
  const parts = children(expectTag(first, TAG.SEQUENCE, 'ESSCertID'));
  let hashName: DigestName = v2 ? 'sha256' : 'sha1';
  let p = 0;
  if (v2 && parts[0]?.tag === TAG.SEQUENCE) {
    const h = digestName(decodeOid(children(parts[0])[0]!));
    if (!h) throw new UnsupportedAlgorithm('ess-hash');
    hashName = h;
    p++;
  }
  const certHash = content(expectTag(parts[p], TAG.OCTET_STRING, 'certHash'));
  if (Buffer.compare(Buffer.from(certHash), digest(hashName, cert.der)) !== 0)
    return 'the signing-certificate attribute names another certificate';
  return null;
}

export function certificatesOf(sd: ParsedSignedData): ParsedCertificate[] {
  const out: ParsedCertificate[] = [];
  for (const c of sd.certificates) {
    try {
      out.push(parseCertificate(c));
    } catch {
      // An unparseable extra certificate is not fatal; the signer's own certificate is checked separately.
    }
  }
  return out;
}

/** DER ECDSA-Sig-Value from the raw r||s a PKCS#11 token returns. */
export function ecdsaRawToDer(rawSig: Uint8Array): Buffer {
  const n = rawSig.length / 2;
  return seq(encodeInteger(rawSig.subarray(0, n)), encodeInteger(rawSig.subarray(n)));
}
