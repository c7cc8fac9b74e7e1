/**
 * Which key a signer signs with, the same way for a token and a key file: the one the user named by key id, or,
 * when none was named, the only one that can sign now (NCA tokens and files hold an authentication and a signing
 * certificate side by side). The chosen certificate is then checked (validity at the signing time, key usage, the
 * expected IIN/BIN) before any PIN or password is spent on it. Only the wording of the errors differs per provider.
 */
import { ApiError } from '../../../common/errors';
import { assertCanSign, checkSignerIdentity, type ParsedCertificate } from '../../../pki/certificate';

/** A key the provider holds, with its certificate. */
export interface KeyCandidate {
  keyId: string;
  certificate: ParsedCertificate;
}

/** How a provider words the `key-not-found` errors ("the token…", "the key file…"). */
export interface KeyChoiceWords {
  /** The holder has no key with a certificate at all. */
  empty: string;
  /** No key has the id the user named. */
  noSuchKey: (keyId: string) => string;
  /** No id was named and several keys could sign. */
  several: string;
}

export interface KeyChoice {
  /** Hex key id the user chose (compared case-insensitively); none = the only key that can sign. */
  keyId?: string;
  /** The signing time: the certificate must be valid then. */
  at: Date;
  /** The identity the certificate must carry. */
  expect?: { iin?: string | null; bin?: string | null };
}

/** The key to sign with, checked; throws `key-not-found`, or why the certificate cannot sign for this signer. */
export function chooseSigningKey<K extends KeyCandidate>(keys: K[], choice: KeyChoice, words: KeyChoiceWords): K {
  const chosen = pick(keys, choice, words);
  assertCanSign(chosen.certificate, choice.at);
  if (choice.expect) checkSignerIdentity(chosen.certificate, choice.expect);
  return chosen;
}

function pick<K extends KeyCandidate>(keys: K[], { keyId, at }: KeyChoice, words: KeyChoiceWords): K {
  if (keys.length === 0) throw new ApiError('key-not-found', words.empty);
  if (keyId !== undefined) {
    const want = keyId.toLowerCase();
    const k = keys.find((x) => x.keyId === want || x.keyId === keyId);
    if (!k) throw new ApiError('key-not-found', words.noSuchKey(keyId), { keyId });
    return k;
  }
  if (keys.length === 1) return keys[0]!;
  const usable = keys.filter((k) => {
    try {
      assertCanSign(k.certificate, at);
      return true;
    } catch {
      return false;
    }
  });
  if (usable.length === 1) return usable[0]!;
  // None can sign: the check in chooseSigningKey then says why the first cannot, rather than a vague "no key".
  if (usable.length === 0) return keys[0]!;
  throw new ApiError('key-not-found', words.several, { count: usable.length });
}
