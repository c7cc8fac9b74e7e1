/**
 * The PKCS#12 key file provider (how most Kazakh citizens and many staff hold their keys: a password-protected
 * .p12 from NCA).
 *
 * The file is parsed here with the DER reader and decrypted with node:crypto: PBES2 (PBKDF2 + AES/3DES, what
 * OpenSSL 3 and current NCA tools write) and the older PKCS#12 PBE with 3DES (what older exports use). The
 * integrity MAC is checked first, so a wrong password is reported as such and not as a corrupt file.
 */
import {
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  pbkdf2Sync,
  sign as cryptoSign,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApiError } from '../../../common/errors';
import {
  DerError,
  TAG,
  children,
  content,
  decodeOid,
  decodeString,
  expectTag,
  integerNumber,
  octets,
  parseOne,
  raw,
  type Tlv,
} from '../../../pki/der';
import { certificateInfo, parseCertificate, type ParsedCertificate } from '../../../pki/certificate';
import { createCades, type KeyAlgorithm } from '../../../pki/cms';
import { chooseSigningKey, type KeyChoiceWords } from './key-choice';
import type { SignOptions, SignResult, Signer, SigningKey } from './types';

const P12 = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  friendlyName: '1.2.840.113549.1.9.20',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbeSha3Des: '1.2.840.113549.1.12.1.3',
  pbeSha2Des: '1.2.840.113549.1.12.1.4',
} as const;

const HASHES: Record<string, { name: string; u: number; v: number }> = {
  '1.3.14.3.2.26': { name: 'sha1', u: 20, v: 64 },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', u: 32, v: 64 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', u: 48, v: 128 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', u: 64, v: 128 },
};
const PRFS: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
const CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};

export interface Pkcs12Entry {
  key: KeyObject;
  keyAlgorithm: KeyAlgorithm;
  keyId: string;
  friendlyName: string | null;
  certificate: ParsedCertificate;
}

export interface ParsedPkcs12 {
  entries: Pkcs12Entry[];
  /** Certificates without a key in the file (the issuing CA chain). */
  extraCertificates: ParsedCertificate[];
}

/** The password as the PKCS#12 KDF wants it: BMPString (UTF-16BE) with a terminating zero character. */
function bmpPassword(password: Buffer): Buffer {
  const s = password.toString('utf8');
  const out = Buffer.alloc((s.length + 1) * 2);
  for (let i = 0; i < s.length; i++) out.writeUInt16BE(s.charCodeAt(i), i * 2);
  return out;
}

/** RFC 7292 appendix B.2 key derivation. */
export function pkcs12Kdf(hashOid: string, bmpPass: Buffer, salt: Uint8Array, id: number, iterations: number, n: number): Buffer {
  const h = HASHES[hashOid];
  if (!h) throw new ApiError('unsupported-algorithm', `PKCS#12 KDF hash ${hashOid} is not supported`);
  const { u, v } = h;
  const fill = (src: Uint8Array) => {
    if (src.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt), fill(bmpPass)]);
  const blocks: Buffer[] = [];
  for (let produced = 0; produced < n; produced += u) {
    let A = createHash(h.name).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(h.name).update(A).digest();
    blocks.push(A);
    const B = Buffer.alloc(v);
    for (let i = 0; i < v; i++) B[i] = A[i % u]!;
    for (let j = 0; j < I.length; j += v) {
      // I_j = (I_j + B + 1) mod 2^(8v)
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  I.fill(0);
  return Buffer.concat(blocks).subarray(0, n);
}

class WrongPassword extends Error {}

/** Decrypts EncryptedContentInfo / EncryptedPrivateKeyInfo content given its AlgorithmIdentifier. */
function decrypt(algT: Tlv, ciphertext: Uint8Array, password: Buffer): Buffer {
  const [oidT, paramsT] = children(expectTag(algT, TAG.SEQUENCE, 'AlgorithmIdentifier'));
  const oid = decodeOid(oidT!);
  let key: Buffer;
  let iv: Buffer;
  let cipher: string;
  if (oid === P12.pbes2) {
    const [kdfT, encT] = children(expectTag(paramsT, TAG.SEQUENCE, 'PBES2-params'));
    const [kdfOid, kdfParams] = children(expectTag(kdfT, TAG.SEQUENCE, 'keyDerivationFunc'));
    if (decodeOid(kdfOid!) !== P12.pbkdf2) throw new ApiError('unsupported-algorithm', 'only PBKDF2 is supported in key files');
    const kp = children(expectTag(kdfParams, TAG.SEQUENCE, 'PBKDF2-params'));
    const salt = content(expectTag(kp[0], TAG.OCTET_STRING, 'salt'));
    const iterations = integerNumber(expectTag(kp[1], TAG.INTEGER, 'iterationCount'));
    let prf = 'sha1';
    for (const extra of kp.slice(2)) {
      if (extra.tag === TAG.SEQUENCE) {
        const p = PRFS[decodeOid(children(extra)[0]!)];
        if (!p) throw new ApiError('unsupported-algorithm', 'unsupported PBKDF2 PRF in the key file');
        prf = p;
      }
    }
    const [encOid, ivT] = children(expectTag(encT, TAG.SEQUENCE, 'encryptionScheme'));
    const c = CIPHERS[decodeOid(encOid!)];
    if (!c) throw new ApiError('unsupported-algorithm', 'unsupported cipher in the key file');
    if (iterations < 1 || iterations > 10_000_000) throw new DerError('implausible iteration count');
    cipher = c.name;
    key = pbkdf2Sync(password, salt, iterations, c.keyLength, prf);
    iv = Buffer.from(content(expectTag(ivT, TAG.OCTET_STRING, 'iv')));
  } else if (oid === P12.pbeSha3Des || oid === P12.pbeSha2Des) {
    const [saltT, iterT] = children(expectTag(paramsT, TAG.SEQUENCE, 'pbeParams'));
    const salt = content(expectTag(saltT, TAG.OCTET_STRING, 'salt'));
    const iterations = integerNumber(expectTag(iterT, TAG.INTEGER, 'iterations'));
    if (iterations < 1 || iterations > 10_000_000) throw new DerError('implausible iteration count');
    const bmp = bmpPassword(password);
    key = pkcs12Kdf('1.3.14.3.2.26', bmp, salt, 1, iterations, 24);
    if (oid === P12.pbeSha2Des) key = Buffer.concat([key.subarray(0, 16), key.subarray(0, 8)]);
    iv = pkcs12Kdf('1.3.14.3.2.26', bmp, salt, 2, iterations, 8);
    bmp.fill(0);
    cipher = 'des-ede3-cbc';
  } else {
    throw new ApiError('unsupported-algorithm', `key file encryption ${oid} is not supported (re-export the file with AES)`);
  }
  try {
    const d = createDecipheriv(cipher, key, iv);
    return Buffer.concat([d.update(ciphertext), d.final()]);
  } catch {
    throw new WrongPassword();
  } finally {
    key.fill(0);
  }
}

function bagAttributes(t: Tlv | undefined): { keyId: string | null; friendlyName: string | null } {
  let keyId: string | null = null;
  let friendlyName: string | null = null;
  if (!t) return { keyId, friendlyName };
  for (const a of children(expectTag(t, TAG.SET, 'bagAttributes'))) {
    const [oidT, valuesT] = children(a);
    const oid = decodeOid(oidT!);
    const v = children(valuesT!)[0];
    if (!v) continue;
    if (oid === P12.localKeyId) keyId = Buffer.from(content(v)).toString('hex');
    if (oid === P12.friendlyName) friendlyName = decodeString(v);
  }
  return { keyId, friendlyName };
}

/** Parses and decrypts a PKCS#12 file. Throws `password-incorrect`, `key-file-invalid` or `unsupported-algorithm`. */
export function parsePkcs12(der: Uint8Array, password: Buffer): ParsedPkcs12 {
  try {
    return parseInner(der, password);
  } catch (e) {
    if (e instanceof WrongPassword) throw new ApiError('password-incorrect', 'wrong password for the key file');
    if (e instanceof ApiError) throw e;
    throw new ApiError('key-file-invalid', `the key file cannot be read: ${(e as Error).message}`);
  }
}

function parseInner(der: Uint8Array, password: Buffer): ParsedPkcs12 {
  const pfx = children(expectTag(parseOne(der), TAG.SEQUENCE, 'PFX'));
  if (integerNumber(expectTag(pfx[0], TAG.INTEGER, 'version')) !== 3) throw new DerError('not a PKCS#12 v3 file');
  const [ctOid, ctContent] = children(expectTag(pfx[1], TAG.SEQUENCE, 'authSafe'));
  if (decodeOid(ctOid!) !== P12.data) throw new ApiError('unsupported-algorithm', 'public-key integrity mode is not supported');
  const authSafeBytes = octets(children(expectTag(ctContent, 0xa0, 'authSafe content'))[0]!);

  if (pfx[2]) {
    // MacData: HMAC keyed by the PKCS#12 KDF (ID 3) over the AuthenticatedSafe; proves the password is right.
    const [digestInfo, saltT, iterT] = children(expectTag(pfx[2], TAG.SEQUENCE, 'MacData'));
    const [algT, macT] = children(expectTag(digestInfo, TAG.SEQUENCE, 'DigestInfo'));
    const hashOid = decodeOid(children(expectTag(algT, TAG.SEQUENCE, 'alg'))[0]!);
    const h = HASHES[hashOid];
    if (!h) throw new ApiError('unsupported-algorithm', 'unsupported MAC in the key file');
    const iterations = iterT ? integerNumber(iterT) : 1;
    if (iterations < 1 || iterations > 10_000_000) throw new DerError('implausible iteration count');
    const bmp = bmpPassword(password);
    const macKey = pkcs12Kdf(hashOid, bmp, content(expectTag(saltT, TAG.OCTET_STRING, 'macSalt')), 3, iterations, h.u);
    bmp.fill(0);
    const mac = createHmac(h.name, macKey).update(authSafeBytes).digest();
    macKey.fill(0);
    const expected = Buffer.from(content(expectTag(macT, TAG.OCTET_STRING, 'mac')));
    if (expected.length !== mac.length || !timingSafeEqual(mac, expected)) throw new WrongPassword();
  }

  const keys: { key: KeyObject; keyId: string | null; friendlyName: string | null }[] = [];
  const certs: { cert: ParsedCertificate; keyId: string | null }[] = [];
  for (const ci of children(expectTag(parseOne(authSafeBytes), TAG.SEQUENCE, 'AuthenticatedSafe'))) {
    const [oidT, explicit] = children(expectTag(ci, TAG.SEQUENCE, 'ContentInfo'));
    const oid = decodeOid(oidT!);
    const inner = children(expectTag(explicit, 0xa0, 'content'))[0]!;
    let safeContents: Uint8Array;
    if (oid === P12.data) safeContents = octets(inner);
    else if (oid === P12.encryptedData) {
      const [, eci] = children(expectTag(inner, TAG.SEQUENCE, 'EncryptedData'));
      const [, algT, encT] = children(expectTag(eci, TAG.SEQUENCE, 'EncryptedContentInfo'));
      if (!encT) throw new DerError('no encrypted content');
      const ciphertext = octets(encT); // [0] IMPLICIT OCTET STRING, primitive or (BER) constructed
      safeContents = decrypt(algT!, ciphertext, password);
    } else throw new ApiError('unsupported-algorithm', `unsupported PKCS#12 content ${oid}`);

    for (const bag of children(expectTag(parseOne(safeContents), TAG.SEQUENCE, 'SafeContents'))) {
      const [bagIdT, valueT, attrsT] = children(expectTag(bag, TAG.SEQUENCE, 'SafeBag'));
      const bagId = decodeOid(bagIdT!);
      const value = children(expectTag(valueT, 0xa0, 'bagValue'))[0]!;
      const attrs = bagAttributes(attrsT);
      if (bagId === P12.certBag) {
        const [certType, certValue] = children(value);
        if (decodeOid(certType!) !== P12.x509Certificate) continue;
        certs.push({
          cert: parseCertificate(Buffer.from(octets(children(expectTag(certValue, 0xa0, 'certValue'))[0]!))),
          keyId: attrs.keyId,
        });
      } else if (bagId === P12.shroudedKeyBag || bagId === P12.keyBag) {
        let pkcs8: Buffer;
        if (bagId === P12.shroudedKeyBag) {
          const [algT, dataT] = children(expectTag(value, TAG.SEQUENCE, 'EncryptedPrivateKeyInfo'));
          pkcs8 = decrypt(algT!, content(expectTag(dataT, TAG.OCTET_STRING, 'encryptedData')), password);
        } else pkcs8 = Buffer.from(raw(value));
        try {
          keys.push({ key: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }), ...attrs });
        } catch {
          throw new ApiError('unsupported-algorithm', 'the key in the file is of a type this workstation cannot use (GOST?)');
        } finally {
          pkcs8.fill(0);
        }
      }
    }
  }

  // Pair keys with certificates by public key (localKeyId is optional and not always consistent between tools).
  const entries: Pkcs12Entry[] = [];
  const used = new Set<ParsedCertificate>();
  keys.forEach((k, index) => {
    const spki = createPublicKey(k.key).export({ format: 'der', type: 'spki' });
    const match = certs.find((c) => Buffer.compare(Buffer.from(c.cert.spki), spki) === 0);
    if (!match) return;
    used.add(match.cert);
    const type = k.key.asymmetricKeyType;
    entries.push({
      key: k.key,
      keyAlgorithm: type === 'ec' ? 'ec' : 'rsa',
      keyId: k.keyId ?? match.keyId ?? String(index),
      friendlyName: k.friendlyName,
      certificate: match.cert,
    });
  });
  return { entries, extraCertificates: certs.filter((c) => !used.has(c.cert)).map((c) => c.cert) };
}

export interface Pkcs12SignerOptions {
  /** Path of the .p12/.pfx file, or its bytes with a display name. */
  file: string | { bytes: Uint8Array; name: string };
}

export function createPkcs12Signer(options: Pkcs12SignerOptions): Signer {
  const source = typeof options.file === 'string' ? options.file : options.file.name;
  const bytes = () => {
    if (typeof options.file !== 'string') return options.file.bytes;
    try {
      return readFileSync(options.file);
    } catch (e) {
      throw new ApiError('not-found', `cannot read the key file ${options.file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  };

  return {
    kind: 'pkcs12',

    async listKeys(secret?: Buffer): Promise<SigningKey[]> {
      if (!secret) throw new ApiError('password-incorrect', 'the key file needs its password to show its certificates');
      try {
        return parsePkcs12(bytes(), secret).entries.map((e) => ({
          provider: 'pkcs12' as const,
          source,
          keyId: e.keyId,
          label: e.friendlyName,
          certificate: certificateInfo(e.certificate),
        }));
      } finally {
        secret.fill(0);
      }
    },

    async sign(contentBytes: Uint8Array, opts: SignOptions): Promise<SignResult> {
      let parsed: ParsedPkcs12;
      try {
        parsed = parsePkcs12(bytes(), opts.secret);
      } finally {
        opts.secret.fill(0);
      }
      const at = opts.signingTime;
      const entry = chooseSigningKey(parsed.entries, { keyId: opts.keyId, at, expect: opts.expect }, KEY_FILE_WORDS);
      try {
        const cms = await createCades({
          content: contentBytes,
          certificate: entry.certificate,
          keyAlgorithm: entry.keyAlgorithm,
          signingTime: at,
          existing: opts.existing,
          encapsulate: opts.encapsulate,
          sign: async (tbs) =>
            entry.keyAlgorithm === 'ec'
              ? cryptoSign('sha256', tbs, { key: entry.key, dsaEncoding: 'der' })
              : cryptoSign('sha256', tbs, entry.key),
        });
        return { cms, keyId: entry.keyId, certificate: certificateInfo(entry.certificate) };
      } catch (e) {
        if (e instanceof DerError) throw new ApiError('validation', e.message);
        throw e;
      }
    },
  };
}

const KEY_FILE_WORDS: KeyChoiceWords = {
  empty: 'the key file holds no key with its certificate',
  noSuchKey: (keyId) => `no key with id ${keyId} in the key file`,
  several: 'the key file holds several signing keys: choose one by key id',
};
