/** Digital signatures: the one Signer interface, its PKCS#11 and PKCS#12 providers, and request verification. */
export type { ProviderKind, SignOptions, SignResult, Signer, SigningKey } from './types';
export {
  assertCanSign,
  certificateBin,
  certificateIin,
  certificateInfo,
  certificatesFromFile,
  checkSignerIdentity,
  parseCertificate,
  signingUsageProblem,
  type CertificateInfo,
  type ParsedCertificate,
} from './certificate';
export { createPkcs11Signer, listTokens, pkcs11Module, closePkcs11Module, type Pkcs11Library, type Pkcs11SignerOptions, type TokenDescription } from './pkcs11';
export { createPkcs12Signer, parsePkcs12, type Pkcs12SignerOptions } from './pkcs12';
export { createCades, parseSignedData, checkSignerInfo, certificatesOf, findSignerCertificate } from './cms';
export { loadCrl, crlsFromFile, CrlError, type CrlIndex, type Revocation } from './crl';
export { TrustStore } from './trust-store';
export {
  verifySignedRequest,
  decodeCmsInput,
  REQUEST_REASONS,
  type RequestReason,
  type RequestSigner,
  type RequestVerification,
  type VerifyRequestOptions,
} from './verify-request';
export { verifyDetached, type DetachedVerification } from './verify-detached';
