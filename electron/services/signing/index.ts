/**
 * The workstation's signers: the one Signer interface and its PKCS#11 token and PKCS#12 key file providers. They
 * hold the keys and hand a signing function to the CAdES builder in `pki/` (shared with the central server), where
 * certificates, CMS, CRLs and request verification live.
 */
export type { ProviderKind, SignOptions, SignResult, Signer, SigningKey } from './types';
export {
  createPkcs11Signer,
  listTokens,
  pkcs11Module,
  closePkcs11Module,
  type Pkcs11Library,
  type Pkcs11SignerOptions,
  type TokenDescription,
} from './pkcs11';
export { createPkcs12Signer, parsePkcs12, type Pkcs12SignerOptions } from './pkcs12';
