/**
 * PKI shared by the workstation and the central server, in plain Node (node:crypto, node:fs; no Electron, no
 * database): DER reading and writing, certificate rules (NCA identity in SERIALNUMBER/OU, validity, key usage, the
 * signer's identity), CMS SignedData in the CAdES-BES profile (building, parsing, checking SignerInfos), the CRL
 * index that scans national CRLs without a general ASN.1 parser, the trust store, and the verification of citizens'
 * signed e-requests and of documents signed here. `server/` imports from here, never from `electron/`.
 *
 * The signers stay with the workstation (`electron/services/signing/`: the Signer interface, the PKCS#11 token
 * and PKCS#12 key file providers, the key choice they share). Only the workstation signs with them, and the token
 * provider loads pkcs11js, a native module the server, a deployable of its own, must not need; keeping them out
 * makes the cut follow the dependency: pki/ verifies and builds CMS around a signing function it is given, the
 * workstation owns the keys.
 */
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
