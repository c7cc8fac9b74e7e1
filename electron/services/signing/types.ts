import type { CertificateInfo } from '../../../pki/certificate';

export type ProviderKind = 'pkcs11' | 'pkcs12';

/** A key the user can choose in the signing dialog, with the certificate that goes with it. */
export interface SigningKey {
  provider: ProviderKind;
  /** Token label (PKCS#11) or key file path (PKCS#12). */
  source: string;
  /** Hex CKA_ID on a token; hex localKeyId (or the bag's position) in a key file. */
  keyId: string;
  label: string | null;
  certificate: CertificateInfo;
}

export interface SignOptions {
  /** Which key, when the token or file holds several (see `SigningKey.keyId`). */
  keyId?: string;
  /**
   * The PIN or password. The signer owns it from here on and overwrites it with zeros when done, whatever the
   * outcome: a Buffer, not a string, because a string cannot be wiped.
   */
  secret: Buffer;
  /** The identity the certificate must carry (the staff account's IIN, the organization's BIN). */
  expect?: { iin?: string | null; bin?: string | null };
  /** Add this signer to an existing detached SignedData over the same content. */
  existing?: Uint8Array;
  /** Embed the content (default: detached). */
  encapsulate?: boolean;
  /** Signing time attribute, from the caller's clock. Also the time at which the certificate must be valid. */
  signingTime: Date;
}

export interface SignResult {
  /** DER ContentInfo(SignedData). */
  cms: Buffer;
  keyId: string;
  certificate: CertificateInfo;
}

/** The one interface both providers implement; the rest of the workstation knows nothing else. */
export interface Signer {
  readonly kind: ProviderKind;
  /** Keys and certificates the user can choose from. Needs no PIN where the token shows certificates publicly. */
  listKeys(secret?: Buffer): Promise<SigningKey[]>;
  /** Signs `content` (canonical document bytes). The content is never modified. */
  sign(content: Uint8Array, options: SignOptions): Promise<SignResult>;
}
