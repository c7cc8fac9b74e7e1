/**
 * The trust store that verifies citizens' signatures (condition 2): the CA certificates and CRLs the administrator
 * loaded plus those pulled from the central server, built once per change of that material. A CRL that does not
 * verify is left out (the certificates it covers come out as revocation-unknown, never valid).
 */
import { ApiError } from '../../../common/errors';
import { recordChange } from '../../../db/change';
import * as dbe from '../../../db/erequests';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { certificatesFromFile } from '../../../pki/certificate';
import { crlsFromFile, CrlError } from '../../../pki/crl';
import { TrustStore } from '../../../pki/trust-store';
import { staffActor } from './decisions';
import { settings } from './settings';

const trustCache = new WeakMap<AppContext, { version: string; store: TrustStore; problems: string[] }>();

function derOf(payload: string): Buffer | null {
  try {
    const p = JSON.parse(payload) as { der?: string; pem?: string };
    if (p.der) return Buffer.from(p.der, 'base64');
    if (p.pem) return Buffer.from(p.pem, 'utf8');
  } catch {
    // fall through
  }
  return null;
}

export function trustStore(app: AppContext): TrustStore {
  const version = dbe.trustVersion(app.db);
  const cached = trustCache.get(app);
  if (cached && cached.version === version) return cached.store;
  const store = new TrustStore();
  const problems: string[] = [];
  const files = dbe.listTrustFiles(app.db);
  const refs = dbe.trustReferenceRows(app.db);
  for (const f of files) if (f.kind === 'ca-certificate') store.addCertificates(f.der);
  for (const r of refs)
    if (r.kind === 'ca-certificate') {
      const der = derOf(r.payload);
      if (der) store.addCertificates(der);
    }
  const crls = [
    ...files.filter((f) => f.kind === 'crl').map((f) => ({ name: f.name, der: f.der as Buffer | null })),
    ...refs.filter((r) => r.kind === 'crl').map((r) => ({ name: r.key, der: derOf(r.payload) })),
  ];
  for (const c of crls) {
    try {
      if (c.der) store.addCrls(c.der);
    } catch (e) {
      // A CRL that does not verify is left out: the certificates it covers come out as revocation-unknown.
      problems.push(`${c.name}: ${(e as Error).message}`);
      app.log.warn('erequests.crl-refused', { name: c.name });
    }
  }
  trustCache.set(app, { version, store, problems });
  return store;
}

/** The administrator loads a CA certificate or a CRL file (PEM or DER); a CRL must verify against a loaded CA. */
export function addTrustFile(app: AppContext, admin: StaffRow, a: { fileName: string; base64: string }) {
  const bytes = Buffer.from(a.base64, 'base64');
  let kind: 'ca-certificate' | 'crl' | null = null;
  let ders: Uint8Array[] = [];
  try {
    ders = certificatesFromFile(bytes).map((c) => c.der);
    if (ders.length) kind = 'ca-certificate';
  } catch {
    // not certificates
  }
  if (!kind) {
    try {
      ders = crlsFromFile(bytes);
      if (ders.length) kind = 'crl';
    } catch {
      // neither
    }
  }
  if (!kind) throw new ApiError('validation', 'the file holds neither certificates nor a CRL', {}, ['base64']);
  if (kind === 'crl') {
    const probe = trustStore(app);
    const copy = new TrustStore();
    for (const anchor of probe.anchors) copy.addCertificates(anchor.der);
    try {
      copy.addCrls(bytes);
    } catch (e) {
      if (e instanceof CrlError)
        throw new ApiError('validation', `the CRL does not verify against the loaded CA certificates: ${e.message}`, {}, ['base64']);
      throw e;
    }
  }
  const now = app.clock();
  recordChange(
    app.db,
    staffActor(admin),
    now,
    () =>
      ders.forEach((der, i) =>
        dbe.addTrustFile(
          app.db,
          { kind: kind!, name: ders.length > 1 ? `${a.fileName} #${i + 1}` : a.fileName, der: Buffer.from(der) },
          now,
          admin.id,
        ),
      ),
    { audit: { action: 'erequests.trust-added', details: { fileName: a.fileName, kind, count: ders.length } } },
  );
  return settings(app);
}
