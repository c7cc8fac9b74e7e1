/**
 * The trust store that verifies citizens' signatures (condition 2): the CA certificates and CRLs the administrator
 * loaded plus those pulled from the central server, built once per change of that material. A CRL that does not
 * verify is left out (the certificates it covers come out as revocation-unknown, never valid).
 */
import { ApiError } from '../../../common/errors';
import { recordChange } from '../../../db/change';
import * as dbe from '../../../db/erequests';
import type { Actor } from '../../../db/audit';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { certificatesFromFile, formatName } from '../../../pki/certificate';
import { crlsFromFile, CrlError, type CrlIndex } from '../../../pki/crl';
import { TrustStore } from '../../../pki/trust-store';
import { staffActor } from './decisions';
import { settings } from './settings';

/**
 * Each CRL file as the trust store was built from it: the CRLs it verified (issuer, updates, size), or why it was
 * left out. The Administration screen shows these, so a national CRL is verified once per change, not per look.
 */
export interface CrlMaterial {
  id: number | null;
  source: 'file' | 'server';
  name: string;
  addedAt: string | null;
  indexes: CrlIndex[];
  problem: CrlError['code'] | null;
}

const trustCache = new WeakMap<AppContext, { version: string; store: TrustStore; problems: string[]; crls: CrlMaterial[] }>();

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

function built(app: AppContext) {
  const version = dbe.trustVersion(app.db);
  const cached = trustCache.get(app);
  if (cached && cached.version === version) return cached;
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
    ...files
      .filter((f) => f.kind === 'crl')
      .map((f) => ({ id: f.id, source: 'file' as const, name: f.name, addedAt: f.added_at as string | null, der: f.der as Buffer | null })),
    ...refs
      .filter((r) => r.kind === 'crl')
      .map((r) => ({ id: null, source: 'server' as const, name: r.key, addedAt: null, der: derOf(r.payload) })),
  ];
  const material: CrlMaterial[] = [];
  for (const { der, ...c } of crls) {
    try {
      if (!der) throw new CrlError('bad-format', 'the reference row holds no CRL');
      material.push({ ...c, indexes: store.addCrls(der), problem: null });
    } catch (e) {
      // A CRL that does not verify is left out: the certificates it covers come out as revocation-unknown.
      problems.push(`${c.name}: ${(e as Error).message}`);
      material.push({ ...c, indexes: [], problem: e instanceof CrlError ? e.code : 'bad-format' });
      app.log.warn('erequests.crl-refused', { name: c.name });
    }
  }
  const entry = { version, store, problems, crls: material };
  trustCache.set(app, entry);
  return entry;
}

export function trustStore(app: AppContext): TrustStore {
  return built(app).store;
}

export function trustCrlMaterial(app: AppContext): CrlMaterial[] {
  return built(app).crls;
}

/** Why a trust file was refused: the Administration screen says it in the user's language, naming the file field. */
export type TrustFileProblem = 'not-certificate-or-crl' | 'not-ca-certificate' | 'crl-not-trusted' | 'crl-bad-signature';

function refuse(problem: TrustFileProblem, message: string): ApiError {
  return new ApiError('validation', message, { problem }, ['base64']);
}

/**
 * The administrator loads a CA certificate or a CRL file (PEM or DER); a CRL must verify against a loaded CA.
 * The Administration screen, the e-requests slice and `tirkeu trust add` all come here (`by`: the administrator,
 * or the system actor for the command line).
 */
export function addTrustFile(app: AppContext, by: StaffRow | Actor, a: { fileName: string; base64: string }) {
  const bytes = Buffer.from(a.base64, 'base64');
  let kind: 'ca-certificate' | 'crl' | null = null;
  let ders: Uint8Array[] = [];
  try {
    const certs = certificatesFromFile(bytes);
    // An end-entity certificate is no anchor: trusting it would let nothing verify and hide the missing CA.
    const leaf = certs.find((c) => !c.isCa);
    if (leaf) throw refuse('not-ca-certificate', `${a.fileName}: the certificate ${formatName(leaf.subject)} is not a CA certificate`);
    ders = certs.map((c) => c.der);
    if (ders.length) kind = 'ca-certificate';
  } catch (e) {
    if (e instanceof ApiError) throw e;
    // not certificates
  }
  if (!kind) {
    try {
      ders = crlsFromFile(bytes);
      // A DER file of something else parses as "one CRL" here: loading it below tells.
      if (ders.length) kind = 'crl';
    } catch {
      // neither
    }
  }
  if (!kind) throw refuse('not-certificate-or-crl', `${a.fileName} holds neither a certificate nor a CRL`);
  if (kind === 'crl') {
    const probe = trustStore(app);
    const copy = new TrustStore();
    for (const anchor of probe.anchors) copy.addCertificates(anchor.der);
    try {
      copy.addCrls(bytes);
    } catch (e) {
      if (!(e instanceof CrlError)) throw e;
      if (e.code === 'bad-format') throw refuse('not-certificate-or-crl', `${a.fileName} holds neither a certificate nor a CRL`);
      if (e.code === 'unknown-issuer')
        throw refuse('crl-not-trusted', `the CRL is not signed by a trusted CA certificate (load its CA first): ${e.message}`);
      throw refuse('crl-bad-signature', `the CRL does not verify against the loaded CA certificates: ${e.message}`);
    }
  }
  const now = app.clock();
  const actor: Actor = 'password_hash' in by ? staffActor(by) : by;
  recordChange(
    app.db,
    actor,
    now,
    () =>
      ders.forEach((der, i) =>
        dbe.addTrustFile(
          app.db,
          { kind: kind!, name: ders.length > 1 ? `${a.fileName} #${i + 1}` : a.fileName, der: Buffer.from(der) },
          now,
          actor.staffId,
        ),
      ),
    { audit: { action: 'erequests.trust-added', details: { fileName: a.fileName, kind, count: ders.length } } },
  );
  return settings(app);
}
