/**
 * Trusted CA certificates and their revocation lists. Configuration: loaded from files now, from the central
 * server's reference data later (the same `add*` calls with bytes).
 */
import { readFileSync } from 'node:fs';
import { certificatesFromFile, type ParsedCertificate } from './certificate';
import { CrlError, crlsFromFile, loadCrl, type CrlIndex, type LoadCrlOptions } from './crl';

export class TrustStore {
  /** How the CRLs are indexed (crl.ts LoadCrlOptions): 'few' for a process that checks one request and exits. */
  constructor(private readonly lookups: LoadCrlOptions['lookups'] = 'many') {}

  readonly anchors: ParsedCertificate[] = [];
  /** The newest verified CRL per issuer name (hex of the issuer DER). */
  private readonly crls = new Map<string, CrlIndex>();

  addCertificates(bytes: Uint8Array): ParsedCertificate[] {
    const certs = certificatesFromFile(bytes);
    for (const c of certs) {
      if (!this.anchors.some((a) => Buffer.compare(Buffer.from(a.der), Buffer.from(c.der)) === 0)) this.anchors.push(c);
    }
    return certs;
  }

  /** Adds CRLs; each must be signed by a trusted certificate. Throws CrlError otherwise. */
  addCrls(bytes: Uint8Array): CrlIndex[] {
    const out: CrlIndex[] = [];
    for (const der of crlsFromFile(bytes)) {
      const crl = loadCrl(der, { issuers: this.anchors, lookups: this.lookups });
      const key = Buffer.from(crl.issuerDer).toString('hex');
      const old = this.crls.get(key);
      // An older CRL must not replace a newer one (files may be given in any order).
      if (!old || old.thisUpdate.getTime() <= crl.thisUpdate.getTime()) this.crls.set(key, crl);
      out.push(crl);
    }
    return out;
  }

  /** The CRL that covers certificates issued under `cert`'s issuer name, if any. */
  crlFor(cert: ParsedCertificate): CrlIndex | null {
    return this.crls.get(Buffer.from(cert.issuerDer).toString('hex')) ?? null;
  }

  get crlCount(): number {
    return this.crls.size;
  }

  /** Trust store from files: CA certificates first (CRLs are verified against them). */
  static fromFiles(files: { trust: string[]; crl?: string[] }, lookups: LoadCrlOptions['lookups'] = 'many'): TrustStore {
    const store = new TrustStore(lookups);
    for (const f of files.trust) store.addCertificates(readFileSync(f));
    for (const f of files.crl ?? []) {
      try {
        store.addCrls(readFileSync(f));
      } catch (e) {
        if (e instanceof CrlError) throw new CrlError(e.code, `${f}: ${e.message}`);
        throw e;
      }
    }
    return store;
  }
}
