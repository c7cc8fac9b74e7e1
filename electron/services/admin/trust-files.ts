/**
 * What the e-request verifier trusts now (issue 16): each CA certificate and CRL, from the files the administrator
 * loaded and from the central server's reference data, with what a person needs to judge them — subject, validity,
 * the CRL's this/next update and entry count, and whether the CRL verifies against a trusted CA (one that does not
 * is left out by the verifier: trust.ts). The Administration screen and `tirkeu trust` both read this.
 */
import * as dbe from '../../../db/erequests';
import { certificatesFromFile, formatName, validityProblem } from '../../../pki/certificate';
import type { AppContext } from '../app';
import { trustCrlMaterial } from '../erequests/trust';

export interface TrustCertificateView {
  /** trust_file id for a loaded file; null for the central server's. */
  id: number | null;
  source: 'file' | 'server';
  name: string;
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  state: 'valid' | 'expired' | 'not-yet-valid';
  addedAt: string | null;
}

export interface TrustCrlView {
  id: number | null;
  source: 'file' | 'server';
  name: string;
  issuer: string | null;
  thisUpdate: string | null;
  nextUpdate: string | null;
  entries: number | null;
  /**
   * `current`: verified and used; `stale`: verified, used, but past its next update (revocation answers may be
   * out of date); `superseded`: a newer CRL of the same CA is used; `unverified`: no trusted CA signed it (left out).
   */
  state: 'current' | 'stale' | 'superseded' | 'unverified';
  problem: string | null;
  addedAt: string | null;
}

export interface TrustOverview {
  certificates: TrustCertificateView[];
  crls: TrustCrlView[];
}

function derOf(payload: string): Buffer | null {
  try {
    const p = JSON.parse(payload) as { der?: string; pem?: string };
    if (p.der) return Buffer.from(p.der, 'base64');
    if (p.pem) return Buffer.from(p.pem, 'utf8');
  } catch {
    // a reference row that is not JSON holds nothing usable
  }
  return null;
}

interface Material {
  id: number | null;
  source: 'file' | 'server';
  name: string;
  bytes: Buffer;
  addedAt: string | null;
}

function material(app: AppContext, kind: 'ca-certificate' | 'crl'): Material[] {
  const files: Material[] = dbe
    .listTrustFiles(app.db)
    .filter((f) => f.kind === kind)
    .map((f) => ({ id: f.id, source: 'file', name: f.name, bytes: f.der, addedAt: f.added_at }));
  const server: Material[] = [];
  for (const r of dbe.trustReferenceRows(app.db)) {
    const bytes = r.kind === kind ? derOf(r.payload) : null;
    if (bytes) server.push({ id: null, source: 'server', name: r.key, bytes, addedAt: null });
  }
  return [...files, ...server];
}

export function trustOverview(app: AppContext): TrustOverview {
  const now = app.clock();
  const certificates: TrustCertificateView[] = [];
  for (const m of material(app, 'ca-certificate')) {
    let parsed;
    try {
      parsed = certificatesFromFile(m.bytes);
    } catch {
      continue; // checked when it was loaded; a server row that does not parse is not trusted either
    }
    for (const c of parsed)
      certificates.push({
        id: m.id,
        source: m.source,
        name: m.name,
        subject: formatName(c.subject),
        issuer: formatName(c.issuer),
        serial: c.serialHex,
        notBefore: c.notBefore.toISOString(),
        notAfter: c.notAfter.toISOString(),
        state: validityProblem(c, now) ?? 'valid',
        addedAt: m.addedAt,
      });
  }

  const at = now.getTime();
  const crls: TrustCrlView[] = crlFacts(app).map((f) => ({
    ...f.view,
    state: f.unverified
      ? 'unverified'
      : f.superseded
        ? 'superseded'
        : f.view.nextUpdate && new Date(f.view.nextUpdate).getTime() < at
          ? 'stale'
          : 'current',
  }));
  return { certificates, crls };
}

interface CrlFact {
  view: Omit<TrustCrlView, 'state'>;
  unverified: boolean;
  superseded: boolean;
}

/** Each CRL as the verifier's trust store holds it (built once per change of the trust material: trust.ts). */
function crlFacts(app: AppContext): CrlFact[] {
  const facts: CrlFact[] = [];
  const newest = new Map<string, number>();
  // The issuer of each verified CRL (parallel to `facts`): a newer one of the same CA supersedes it.
  const issuerOf: Array<string | null> = [];
  for (const m of trustCrlMaterial(app)) {
    const base = { id: m.id, source: m.source, name: m.name, addedAt: m.addedAt };
    if (m.problem) {
      facts.push({
        view: { ...base, issuer: null, thisUpdate: null, nextUpdate: null, entries: null, problem: m.problem },
        unverified: true,
        superseded: false,
      });
      issuerOf.push(null);
      continue;
    }
    for (const crl of m.indexes) {
      const issuerKey = Buffer.from(crl.issuerDer).toString('hex');
      const at = crl.thisUpdate.getTime();
      if ((newest.get(issuerKey) ?? -Infinity) < at) newest.set(issuerKey, at);
      const view = {
        ...base,
        issuer: crl.issuer,
        thisUpdate: crl.thisUpdate.toISOString(),
        nextUpdate: crl.nextUpdate?.toISOString() ?? null,
        entries: crl.size,
        problem: null,
      };
      facts.push({ view, unverified: false, superseded: false });
      issuerOf.push(issuerKey);
    }
  }
  facts.forEach((f, i) => {
    const issuerKey = issuerOf[i];
    if (issuerKey && newest.get(issuerKey)! > new Date(f.view.thisUpdate!).getTime()) f.superseded = true;
  });
  return facts;
}
