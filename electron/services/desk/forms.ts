/**
 * Desk request forms certified with the employee's ЭЦҚ, with scanned documents attached (issue 15, point 6).
 *
 * Astana, table 2 of each appendix, act 5: the provider's employee fills in the request form, attaches the scanned
 * documents and certifies the form with their ЭЦҚ; act 6 then registers it and assigns the number. So the form is
 * signed *before* registration, over exactly what the registrar entered, the person, the service and the SHA-256 of
 * every scan (the signature covers the scans without carrying megabytes). Which services ask for it is data: a
 * step's `deskForm` in the regulation (common/regulations.ts).
 *
 * The flow keeps the registrar's work whatever fails: scans are stored as drafts the moment a file is chosen; the
 * desk action (`homeVisits.register`, `appointments.book`, `attachments.apply`) carries the certification, signs
 * first (a missing token, a wrong PIN, a certificate of someone else: an error, nothing registered, drafts and the
 * form kept for a retry) and then registers in one transaction with the signature and the scans attached.
 */
import { createHash } from 'node:crypto';
import { canonicalBytes } from '../../../common/canonical-json';
import { MAX_SCAN_BYTES, scanMediaType, type DeskFormRequirements, type DeskFormView, type Scan } from '../../../common/desk-forms';
import { ApiError } from '../../../common/errors';
import { deskFormOf, isStaffRole, type ServiceDefinition } from '../../../common/regulations';
import { recordChange } from '../../../db/change';
import * as formsDb from '../../../db/desk/forms';
import { getRequestByNumber, getRequestRow, type RequestRow } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import { verifyDetached } from '../../../pki';
import type { AppContext } from '../app';
import { actorOf } from '../auth';
import { signDocument, type SigningSource } from '../signing-desk';
import { orgToday } from '../workflow/app-engine';
import { catalogOf } from '../workflow/context';
import { organization } from './common';

export interface DeskCertification {
  source: SigningSource;
  keyId?: string;
  secret: string;
  scanIds: number[];
}

/** The service's definition in force today for the organization's region. */
function definitionToday(app: AppContext, serviceId: string): ServiceDefinition {
  const org = organization(app);
  const def = catalogOf(app).catalog.byId(serviceId, org.region, orgToday(app));
  if (!def)
    throw new ApiError('service-not-in-force', `no regulation of ${serviceId} is in force in ${org.region} today`, {
      service: serviceId,
      region: org.region,
    });
  return def;
}

function scanView(r: formsDb.ScanRow): Scan {
  return {
    id: r.id,
    documentId: r.document_id,
    fileName: r.file_name,
    mediaType: r.media_type as Scan['mediaType'],
    size: r.size,
    sha256: r.sha256,
    addedAt: r.added_at,
  };
}

export function requirements(app: AppContext, staff: StaffRow, serviceId: string): DeskFormRequirements {
  const def = definitionToday(app, serviceId);
  const form = deskFormOf(def);
  const documents = form
    ? form.form.scans.map((id) => def.documents.find((d) => d.id === id)!).map((d) => ({ id: d.id, title: d.title, required: d.required }))
    : [];
  return {
    serviceId,
    certify: form !== null,
    stepId: form?.step.id ?? null,
    documents,
    drafts: form ? formsDb.draftScans(app.db, staff.id, serviceId).map(scanView) : [],
    maxScanBytes: MAX_SCAN_BYTES,
  };
}

/** A file name as shown back to people: no folders, no control characters. */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  // eslint-disable-next-line no-control-regex
  return (
    base
      .replace(/[\u0000-\u001f\u007f]/g, '')
      .trim()
      .slice(0, 200) || 'scan'
  );
}

export function addScan(
  app: AppContext,
  staff: StaffRow,
  a: { serviceId: string; documentId: string; fileName: string; dataBase64: string },
): Scan {
  const def = definitionToday(app, a.serviceId);
  const form = deskFormOf(def);
  if (!form) throw new ApiError('validation', `the desk form of ${a.serviceId} has no scans`, { service: a.serviceId }, ['serviceId']);
  if (!form.form.scans.includes(a.documentId))
    throw new ApiError('validation', `"${a.documentId}" is not a scanned document of ${a.serviceId}`, { document: a.documentId }, [
      'documentId',
    ]);
  const file = cleanFileName(a.fileName);
  const bytes = Buffer.from(a.dataBase64, 'base64');
  if (bytes.length > MAX_SCAN_BYTES)
    throw new ApiError(
      'scan-too-large',
      `${file}: ${bytes.length} bytes, more than ${MAX_SCAN_BYTES}`,
      { file, size: (bytes.length / 1024 / 1024).toFixed(1), max: MAX_SCAN_BYTES / 1024 / 1024 },
      ['dataBase64'],
    );
  const mediaType = scanMediaType(bytes.subarray(0, 8));
  if (bytes.length === 0 || !mediaType)
    throw new ApiError('scan-type', `${file}: not a PNG, JPEG or PDF file (by its first bytes)`, { file }, ['dataBase64']);
  const now = app.clock();
  const id = recordChange(
    app.db,
    actorOf(staff),
    now,
    () =>
      formsDb.insertScan(app.db, {
        staff_id: staff.id,
        service_id: a.serviceId,
        document_id: a.documentId,
        file_name: file,
        media_type: mediaType,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        bytes,
        added_at: now.toISOString(),
      }),
    // The audit log names the file, never its contents.
    {
      audit: (scanId) => ({
        action: 'desk-scan.added',
        entity: 'desk_scan',
        entityId: scanId,
        details: { service: a.serviceId, document: a.documentId, file },
      }),
    },
  );
  return scanView(formsDb.getScan(app.db, id)!);
}

export function removeScan(app: AppContext, staff: StaffRow, scanId: number): { removed: boolean } {
  const removed = recordChange(app.db, actorOf(staff), app.clock(), () => formsDb.deleteDraftScan(app.db, scanId, staff.id), {
    audit: { action: 'desk-scan.removed', entity: 'desk_scan', entityId: scanId },
  });
  if (!removed) throw new ApiError('not-found', `no draft scan ${scanId} of yours`, { id: scanId }, ['scanId']);
  return { removed };
}

/** The canonical desk form the registrar signs: what was entered, by whom, when, and each scan by its hash. */
function formDocument(
  app: AppContext,
  staff: StaffRow,
  def: ServiceDefinition,
  stepId: string,
  form: Record<string, unknown>,
  scans: formsDb.ScanRow[],
  at: Date,
) {
  const org = organization(app);
  return {
    type: 'desk-request-form',
    organization: org.bin,
    service: def.id,
    definitionKey: `${def.region}/${def.id}@${def.effectiveFrom}`,
    act: { number: def.act.number, date: def.act.date },
    step: stepId,
    form,
    scans: scans.map((s) => ({ document: s.document_id, fileName: s.file_name, mediaType: s.media_type, size: s.size, sha256: s.sha256 })),
    certifiedBy: { login: staff.login, fullName: staff.full_name, iin: staff.iin },
    certifiedAt: at.toISOString(),
  };
}

const hashOf = (doc: unknown) => createHash('sha256').update(canonicalBytes(doc)).digest('hex');

/**
 * Runs a desk action with the desk form certified where the regulation asks for it. `form` is what the registrar
 * entered (the action's arguments without the PIN); `register` does the action and returns its result with the
 * request's number. Without `certification` the action runs as before: the request view then says the form the act
 * asks to certify is not certified (an organization without registrars' tokens yet keeps working, visibly).
 */
export async function certifiedDeskAction<T extends { requestNumber: string }>(
  app: AppContext,
  staff: StaffRow,
  serviceId: string,
  form: Record<string, unknown>,
  certification: DeskCertification | undefined,
  register: () => T,
): Promise<T> {
  if (!certification) return register();
  const def = definitionToday(app, serviceId);
  const declared = deskFormOf(def);
  if (!declared)
    throw new ApiError('validation', `the regulation of ${serviceId} does not certify the desk form`, { service: serviceId }, [
      'certification',
    ]);
  if (!staff.iin)
    throw new ApiError('signer-iin-missing', `${staff.login} has no IIN recorded: an ЭЦҚ cannot be checked against it`, {}, ['iin']);
  const scans = certification.scanIds.map((id) => {
    const s = formsDb.getScan(app.db, id);
    if (!s || s.staff_id !== staff.id || s.request_id !== null || s.service_id !== serviceId)
      throw new ApiError('not-found', `no draft scan ${id} of yours for ${serviceId}`, { id }, ['certification.scanIds']);
    return s;
  });
  const missing = def.documents.filter(
    (d) => d.required && declared.form.scans.includes(d.id) && !scans.some((s) => s.document_id === d.id),
  );
  if (missing.length)
    throw new ApiError(
      'scan-missing',
      `no scan of: ${missing.map((m) => m.id).join(', ')}`,
      { documents: missing.map((m) => m.title[staff.language]).join('; '), ids: missing.map((m) => m.id).join(',') },
      ['certification.scanIds'],
    );
  const at = app.clock();
  const document = formDocument(app, staff, def, declared.step.id, form, scans, at);
  // A person's own certificate (their IIN), whatever the role: the act says the employee certifies.
  const signed = await signDocument(
    app,
    staff,
    { source: certification.source, keyId: certification.keyId, secret: certification.secret },
    document,
  );
  const hash = hashOf(document);
  return app.db
    .transaction(() => {
      const result = register();
      const row = getRequestByNumber(app.db, result.requestNumber)!;
      recordChange(
        app.db,
        actorOf(staff),
        at,
        () => {
          formsDb.insertDeskForm(app.db, {
            request_id: row.id,
            step_id: declared.step.id,
            document: JSON.stringify(document),
            hash,
            cms: signed.cms,
            staff_id: staff.id,
            signer_name: signed.certificate.name || staff.full_name,
            certificate_serial: signed.certificate.serial,
            signed_at: at.toISOString(),
          });
          for (const s of scans)
            if (!formsDb.attachScan(app.db, s.id, staff.id, row.id))
              throw new ApiError('not-found', `scan ${s.id} is no longer a draft`, { id: s.id }, ['certification.scanIds']);
        },
        {
          audit: {
            action: 'desk-form.certified',
            entity: 'service_request',
            entityId: row.number,
            details: { step: declared.step.id, hash, serial: signed.certificate.serial, scans: scans.length },
          },
          // The signed form and its signature reach the centre with the request; the scans' bytes stay here (their
          // hashes are in the form).
          outbox: {
            kind: 'desk-form.certified',
            entity: 'service_request',
            entityId: row.number,
            payload: { request: row.number, document, hash, cms: signed.cms.toString('base64') },
          },
        },
      );
      return result;
    })
    .immediate();
}

/** Roles that handle a request: those that take a step of its regulation. */
function handles(def: ServiceDefinition | undefined, staff: StaffRow): boolean {
  return !!def && def.steps.some((s) => isStaffRole(s.role) && s.role === staff.role);
}

function handledRequest(app: AppContext, staff: StaffRow, requestId: number): { row: RequestRow; def: ServiceDefinition | undefined } {
  const row = getRequestRow(app.db, requestId);
  if (!row) throw new ApiError('not-found', `no service request ${requestId}`, { id: requestId });
  const def = catalogOf(app).catalog.byKey(row.definition_key);
  if (!handles(def, staff)) throw new ApiError('forbidden', `request ${row.number} is not handled by the ${staff.role} role`, {});
  return { row, def };
}

/** The certification and scans of a request; the signature and every scan's hash are checked at each view. */
export function ofRequest(app: AppContext, staff: StaffRow, requestId: number): DeskFormView {
  const { row, def } = handledRequest(app, staff, requestId);
  const form = formsDb.deskFormOfRequest(app.db, row.id);
  const scans = formsDb.scansOfRequest(app.db, row.id);
  let certification: DeskFormView['certification'] = null;
  if (form) {
    const problems: string[] = [];
    const document = JSON.parse(form.document) as ReturnType<typeof formDocument>;
    if (!verifyDetached(form.cms, canonicalBytes(document)).valid || hashOf(document) !== form.hash) problems.push('signature');
    // Every scan the form names must be there with the same bytes; none may be added to the request afterwards.
    const named = new Map(document.scans.map((s) => [s.sha256, s]));
    for (const s of scans) {
      const actual = createHash('sha256').update(formsDb.scanBytes(app.db, s.id)!).digest('hex');
      if (!named.delete(actual)) problems.push(`scan:${s.file_name}`);
    }
    for (const s of named.values()) problems.push(`scan:${s.fileName}`);
    certification = {
      signerName: form.signer_name,
      signedAt: form.signed_at,
      serial: form.certificate_serial,
      hash: form.hash,
      verified: problems.length === 0,
      // A changed scan is both unknown to the form and missing from it: one problem.
      problems: [...new Set(problems)],
    };
  }
  return { requestId: row.id, required: !!def && deskFormOf(def) !== null, certification, scans: scans.map(scanView) };
}

/** One scan's file, for whoever handles its request (or the registrar whose draft it is). */
export function scanFile(app: AppContext, staff: StaffRow, scanId: number) {
  const s = formsDb.getScan(app.db, scanId);
  const own = s && s.request_id === null && s.staff_id === staff.id;
  if (!s || (s.request_id === null && !own)) throw new ApiError('not-found', `no scan ${scanId}`, { id: scanId }, ['scanId']);
  if (s.request_id !== null) handledRequest(app, staff, s.request_id);
  return {
    fileName: s.file_name,
    mediaType: s.media_type as Scan['mediaType'],
    dataBase64: formsDb.scanBytes(app.db, s.id)!.toString('base64'),
  };
}
