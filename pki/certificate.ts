/**
 * X.509 certificates: parsing the fields the workstation needs, the Kazakh NCA identity conventions, and the rules
 * that decide whether a certificate may sign.
 *
 * NCA (the national certification authority) puts the person's IIN in the subject SERIALNUMBER as "IIN" followed by
 * 12 digits and an organization's BIN in OU as "BIN" followed by 12 digits.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../common/errors';
import {
  DerError,
  TAG,
  children,
  content,
  decodeOid,
  decodeString,
  decodeTime,
  expectTag,
  integerHex,
  parseOne,
  raw,
  type Tlv,
} from './der';
import { OID } from './oids';

export interface NameAttribute {
  oid: string;
  value: string;
}

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGE_BITS: KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** A parsed certificate: decoded fields plus views of the exact DER that signatures and name matching use. */
export interface ParsedCertificate {
  der: Uint8Array;
  tbs: Uint8Array;
  serialHex: string;
  /** The serial INTEGER exactly as encoded (IssuerAndSerialNumber repeats it verbatim). */
  serialDer: Uint8Array;
  issuerDer: Uint8Array;
  subjectDer: Uint8Array;
  issuer: NameAttribute[];
  subject: NameAttribute[];
  notBefore: Date;
  notAfter: Date;
  /** SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
  publicKeyAlgorithm: string;
  signatureAlgorithm: string;
  /** Raw AlgorithmIdentifier parameters (needed for RSA-PSS), or null. */
  signatureParams: Uint8Array | null;
  signature: Uint8Array;
  /** null when the certificate has no keyUsage extension. */
  keyUsage: KeyUsageName[] | null;
  extKeyUsage: string[] | null;
  isCa: boolean;
  subjectKeyId: string | null;
}

export function pemToDerList(text: string, label = 'CERTIFICATE'): Buffer[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  const out: Buffer[] = [];
  for (const m of text.matchAll(re)) out.push(Buffer.from(m[1]!.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  return out;
}

/** Certificates from a file's bytes: PEM (one or many) or a single DER certificate. */
export function certificatesFromFile(bytes: Uint8Array): ParsedCertificate[] {
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) return pemToDerList(text).map(parseCertificate);
  return [parseCertificate(bytes)];
}

export function parseName(t: Tlv): NameAttribute[] {
  expectTag(t, TAG.SEQUENCE, 'Name');
  const out: NameAttribute[] = [];
  for (const rdn of children(t)) {
    expectTag(rdn, TAG.SET, 'RDN');
    for (const atv of children(rdn)) {
      const [type, value] = children(expectTag(atv, TAG.SEQUENCE, 'AttributeTypeAndValue'));
      if (!type || !value) throw new DerError('bad AttributeTypeAndValue');
      out.push({ oid: decodeOid(type), value: decodeString(value) });
    }
  }
  return out;
}

function parseAlgorithm(t: Tlv | undefined): { oid: string; params: Uint8Array | null } {
  const [oid, params] = children(expectTag(t, TAG.SEQUENCE, 'AlgorithmIdentifier'));
  if (!oid) throw new DerError('empty AlgorithmIdentifier');
  return { oid: decodeOid(oid), params: params ? raw(params) : null };
}

export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const cert = parseOne(der);
  const [tbs, sigAlg, sigValue] = children(expectTag(cert, TAG.SEQUENCE, 'Certificate'));
  const fields = children(expectTag(tbs, TAG.SEQUENCE, 'tbsCertificate'));
  let i = 0;
  if (fields[0]?.tag === 0xa0) i++; // [0] EXPLICIT version
  const serial = expectTag(fields[i++], TAG.INTEGER, 'serialNumber');
  i++; // signature algorithm inside tbs: must equal the outer one, which is the one we use
  const issuer = expectTag(fields[i++], TAG.SEQUENCE, 'issuer');
  const validity = children(expectTag(fields[i++], TAG.SEQUENCE, 'validity'));
  const subject = expectTag(fields[i++], TAG.SEQUENCE, 'subject');
  const spki = expectTag(fields[i++], TAG.SEQUENCE, 'subjectPublicKeyInfo');
  if (!validity[0] || !validity[1]) throw new DerError('bad validity');
  const spkiAlg = parseAlgorithm(children(spki)[0]);
  const sig = parseAlgorithm(sigAlg);
  const sigBits = expectTag(sigValue, TAG.BIT_STRING, 'signatureValue');

  let keyUsage: KeyUsageName[] | null = null;
  let extKeyUsage: string[] | null = null;
  let isCa = false;
  let subjectKeyId: string | null = null;
  for (; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.tag !== 0xa3) continue; // [3] extensions; [1]/[2] unique ids are ignored
    const exts = children(expectTag(children(f)[0], TAG.SEQUENCE, 'Extensions'));
    for (const ext of exts) {
      const parts = children(expectTag(ext, TAG.SEQUENCE, 'Extension'));
      const oid = decodeOid(parts[0]!);
      const valueT = parts[parts.length - 1]!;
      const value = parseOne(content(expectTag(valueT, TAG.OCTET_STRING, 'extnValue')));
      if (oid === OID.keyUsage) {
        const bits = content(expectTag(value, TAG.BIT_STRING, 'keyUsage'));
        keyUsage = [];
        for (let b = 0; b < KEY_USAGE_BITS.length; b++) {
          const byte = bits[1 + (b >> 3)];
          if (byte !== undefined && byte & (0x80 >> (b & 7))) keyUsage.push(KEY_USAGE_BITS[b]!);
        }
      } else if (oid === OID.extKeyUsage) {
        extKeyUsage = children(value).map(decodeOid);
      } else if (oid === OID.basicConstraints) {
        const bc = children(value)[0];
        isCa = bc?.tag === TAG.BOOLEAN && content(bc)[0] !== 0;
      } else if (oid === OID.subjectKeyIdentifier) {
        subjectKeyId = Buffer.from(content(value)).toString('hex');
      }
    }
  }

  return {
    der: raw(cert),
    tbs: raw(tbs!),
    serialHex: integerHex(serial),
    serialDer: raw(serial),
    issuerDer: raw(issuer),
    subjectDer: raw(subject),
    issuer: parseName(issuer),
    subject: parseName(subject),
    notBefore: decodeTime(validity[0]),
    notAfter: decodeTime(validity[1]),
    spki: raw(spki),
    publicKeyAlgorithm: spkiAlg.oid,
    signatureAlgorithm: sig.oid,
    signatureParams: sig.params,
    signature: content(sigBits).subarray(1),
    keyUsage,
    extKeyUsage,
    isCa,
    subjectKeyId,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Identity

const nameValue = (attrs: NameAttribute[], oid: string) => attrs.find((a) => a.oid === oid)?.value ?? null;

/** IIN from SERIALNUMBER "IIN" + 12 digits, or null. */
export function certificateIin(c: ParsedCertificate): string | null {
  for (const a of c.subject) {
    if (a.oid !== OID.serialNumber) continue;
    const m = /^IIN(\d{12})$/.exec(a.value.trim());
    if (m) return m[1]!;
  }
  return null;
}

/** BIN from OU "BIN" + 12 digits (NCA's convention), or null. */
export function certificateBin(c: ParsedCertificate): string | null {
  for (const a of c.subject) {
    if (a.oid !== OID.organizationalUnit) continue;
    const m = /^BIN(\d{12})$/.exec(a.value.trim());
    if (m) return m[1]!;
  }
  return null;
}

const SHORT: Record<string, string> = {
  [OID.commonName]: 'CN',
  [OID.surname]: 'SN',
  [OID.serialNumber]: 'SERIALNUMBER',
  [OID.country]: 'C',
  [OID.locality]: 'L',
  [OID.state]: 'ST',
  [OID.organization]: 'O',
  [OID.organizationalUnit]: 'OU',
  [OID.givenName]: 'G',
  [OID.emailAddress]: 'E',
};

export function formatName(attrs: NameAttribute[]): string {
  return attrs.map((a) => `${SHORT[a.oid] ?? a.oid}=${a.value}`).join(', ');
}

/** What the UI shows when the user chooses a key. */
export interface CertificateInfo {
  /** The owner's name as NCA writes it: CN (surname and given name), else the organization. */
  name: string;
  subject: string;
  issuer: string;
  organization: string | null;
  iin: string | null;
  bin: string | null;
  serial: string;
  notBefore: string;
  notAfter: string;
  keyUsage: KeyUsageName[];
  extKeyUsage: string[];
  /** A signing certificate in the regulation's sense (see `checkSigningUsage`). */
  canSign: boolean;
  /** SHA-256 of the certificate DER, hex: a stable handle for the UI. */
  fingerprint: string;
}

export function certificateInfo(c: ParsedCertificate): CertificateInfo {
  return {
    name: nameValue(c.subject, OID.commonName) ?? nameValue(c.subject, OID.organization) ?? formatName(c.subject),
    subject: formatName(c.subject),
    issuer: formatName(c.issuer),
    organization: nameValue(c.subject, OID.organization),
    iin: certificateIin(c),
    bin: certificateBin(c),
    serial: c.serialHex,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    keyUsage: c.keyUsage ?? [],
    extKeyUsage: c.extKeyUsage ?? [],
    canSign: signingUsageProblem(c) === null,
    fingerprint: createHash('sha256').update(c.der).digest('hex'),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

/**
 * Why the certificate is not a signing certificate, or null when it is.
 * NCA issues each person two keys: an authentication key (digitalSignature + keyEncipherment, clientAuth) for
 * logging in, and a signing key (digitalSignature + nonRepudiation) for legally binding signatures. Only the second
 * may sign documents. nonRepudiation is the mark of the signing key (some CAs issue it without digitalSignature), so
 * it is what we require; a certificate without keyUsage is refused because nothing says it is a signing key.
 */
export function signingUsageProblem(c: ParsedCertificate): string | null {
  if (!c.keyUsage) return 'the certificate has no keyUsage extension';
  if (!c.keyUsage.includes('nonRepudiation')) return 'the key is not a signing key (no nonRepudiation)';
  if (c.extKeyUsage?.includes(OID.clientAuth) && !c.extKeyUsage.includes(OID.emailProtection))
    return 'the key is an authentication key (clientAuth)';
  return null;
}

export function validityProblem(c: ParsedCertificate, at: Date): 'expired' | 'not-yet-valid' | null {
  if (at.getTime() < c.notBefore.getTime()) return 'not-yet-valid';
  if (at.getTime() > c.notAfter.getTime()) return 'expired';
  return null;
}

/** Throws a typed error when the certificate cannot sign at `at` (before any PIN is asked for). */
export function assertCanSign(c: ParsedCertificate, at: Date): void {
  const v = validityProblem(c, at);
  const params = { notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString() };
  if (v === 'expired') throw new ApiError('certificate-expired', `the certificate expired on ${params.notAfter}`, params);
  if (v === 'not-yet-valid') throw new ApiError('certificate-not-yet-valid', `the certificate is valid from ${params.notBefore}`, params);
  const u = signingUsageProblem(c);
  if (u) throw new ApiError('key-usage', u);
}

/**
 * The regulation's identity rule: a physician signs only with a certificate carrying their own IIN (the one on the
 * staff account); a signature on behalf of the provider needs a certificate with the organization's BIN.
 * Throws `signer-mismatch` naming what differs; both checks apply when both are given.
 */
export function checkSignerIdentity(
  cert: ParsedCertificate | CertificateInfo,
  expected: { iin?: string | null; bin?: string | null },
): void {
  const iin = 'der' in cert ? certificateIin(cert) : cert.iin;
  const bin = 'der' in cert ? certificateBin(cert) : cert.bin;
  if (expected.iin && iin !== expected.iin)
    throw new ApiError('signer-mismatch', 'the certificate does not carry the signer’s IIN', {
      field: 'iin',
      certificate: iin ?? '',
    });
  if (expected.bin && bin !== expected.bin)
    throw new ApiError('signer-mismatch', 'the certificate does not carry the organization’s BIN', {
      field: 'bin',
      certificate: bin ?? '',
    });
}
