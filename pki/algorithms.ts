/**
 * Signature and digest algorithms Node can check, and the classification of those it cannot.
 * Anything not listed here is "unsupported": the caller must never turn that into "valid".
 */
import { createHash, createPublicKey, verify as cryptoVerify, constants, type KeyObject } from 'node:crypto';
import { children, decodeOid, expectTag, parseOne, TAG, content, DerError } from './der';
import { OID } from './oids';

export type DigestName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

const DIGESTS: Record<string, DigestName> = {
  [OID.sha1]: 'sha1',
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

export const digestName = (oid: string): DigestName | null => DIGESTS[oid] ?? null;

export function digest(name: DigestName, data: Uint8Array): Buffer {
  return createHash(name).update(data).digest();
}

export class UnsupportedAlgorithm extends Error {
  constructor(readonly oid: string) {
    super(`unsupported algorithm ${oid}`);
    this.name = 'UnsupportedAlgorithm';
  }
}

const spkiCache = new WeakMap<Uint8Array, KeyObject>();

export function publicKey(spki: Uint8Array): KeyObject {
  let k = spkiCache.get(spki);
  if (!k) {
    k = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    spkiCache.set(spki, k);
  }
  return k;
}

/** Hash named by RSASSA-PSS parameters (RFC 4055); SHA-1 when absent, as the standard's default. */
function pssParams(params: Uint8Array | null): { hash: DigestName; saltLength: number } {
  let hash: DigestName = 'sha1';
  let saltLength = 20;
  if (!params || params[0] === TAG.NULL) return { hash, saltLength };
  for (const f of children(expectTag(parseOne(params), TAG.SEQUENCE, 'RSASSA-PSS-params'))) {
    const inner = children(f)[0];
    if (!inner) continue;
    if (f.tag === 0xa0) {
      const h = digestName(decodeOid(children(inner)[0]!));
      if (!h) throw new UnsupportedAlgorithm('pss-hash');
      hash = h;
    } else if (f.tag === 0xa2) {
      const b = content(expectTag(inner, TAG.INTEGER, 'saltLength'));
      saltLength = b.reduce((n, x) => n * 256 + x, 0);
    }
  }
  return { hash, saltLength };
}

/**
 * Verifies `signature` over `data`. `sigAlg` is the signature algorithm OID from the certificate or SignerInfo;
 * for CMS, `rsaEncryption`/`ecPublicKey` mean "the digest algorithm named elsewhere", passed as `digestHint`.
 * Throws UnsupportedAlgorithm for anything outside RSA PKCS#1 v1.5, RSA-PSS and ECDSA with SHA-1/SHA-2.
 */
export function verifySignature(
  sigAlg: string,
  sigParams: Uint8Array | null,
  data: Uint8Array,
  signature: Uint8Array,
  spki: Uint8Array,
  digestHint?: DigestName,
): boolean {
  let hash: DigestName | null = null;
  let pss: { hash: DigestName; saltLength: number } | null = null;
  switch (sigAlg) {
    case OID.sha1WithRSA:
      hash = 'sha1';
      break;
    case OID.sha256WithRSA:
    case OID.ecdsaWithSHA256:
      hash = 'sha256';
      break;
    case OID.sha384WithRSA:
    case OID.ecdsaWithSHA384:
      hash = 'sha384';
      break;
    case OID.sha512WithRSA:
    case OID.ecdsaWithSHA512:
      hash = 'sha512';
      break;
    case OID.rsaEncryption:
    case OID.ecPublicKey:
      hash = digestHint ?? null;
      break;
    case OID.rsaPss:
      pss = pssParams(sigParams);
      hash = pss.hash;
      break;
    default:
      throw new UnsupportedAlgorithm(sigAlg);
  }
  if (!hash) throw new UnsupportedAlgorithm(sigAlg);
  let key: KeyObject;
  try {
    key = publicKey(spki);
  } catch {
    // A key type OpenSSL does not know (e.g. GOST 34.310) cannot be checked: unsupported, not "bad".
    throw new UnsupportedAlgorithm(spkiAlgorithm(spki));
  }
  const isEc = key.asymmetricKeyType === 'ec';
  const isRsa = key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss';
  if (sigAlg.startsWith('1.2.840.10045.') ? !isEc : !isRsa) return false;
  try {
    if (pss) {
      return cryptoVerify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, signature);
    }
    return cryptoVerify(hash, data, isEc ? { key, dsaEncoding: 'der' } : key, signature);
  } catch {
    return false;
  }
}

export function spkiAlgorithm(spki: Uint8Array): string {
  try {
    const alg = children(expectTag(parseOne(spki), TAG.SEQUENCE, 'spki'))[0];
    return decodeOid(children(expectTag(alg, TAG.SEQUENCE, 'alg'))[0]!);
  } catch (e) {
    if (e instanceof DerError) return 'unknown';
    throw e;
  }
}
