/**
 * Certificates of the dispensaries: the canonical document is fixed at the first signature and stored; each
 * signing step appends a CAdES-BES signature (the second adds its SignerInfo to the first's CMS). The last
 * signature issues the certificate. The PDF is always rendered from the stored document, so a re-print is the same.
 *
 * Rules: signing is by the step's own role (the dispatcher keeps cashiers out; the engine checks role and
 * specialty); a signature after the cashier step needs a payment that is not voided; a register-positive request
 * never reaches a signing step (it ends at the check with the reason).
 */
import { createHash } from 'node:crypto';
import { canonicalBytes } from '../../../common/canonical-json';
import type { CertificateSummary } from '../../../common/dispensary';
import { ApiError } from '../../../common/errors';
import { stepById, type ServiceDefinition } from '../../../common/regulations';
import { recordChange } from '../../../db/change';
import {
  certificateByNumber,
  certificateOfRequest,
  checksOfRequest,
  insertCertificate,
  insertSignature,
  issuedCertificates,
  markIssued,
  paymentOfRequest,
  signaturesOf,
  type CertificateRow,
} from '../../../db/dispensary';
import { getOrganization } from '../../../db/organization';
import { findPersonByIin } from '../../../db/people';
import { getRequestRow, openStepRow, personDisplayName, type RequestRow } from '../../../db/requests';
import { findStaffByLogin, getStaff, type StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { actorOf } from '../auth';
import { issueNumber } from '../numbers';
import { signDocument, type SigningSource } from '../signing-desk';
import { engineActor, engineOf, orgToday } from '../workflow/app-engine';
import { catalogOf } from '../workflow/context';
import { adoptionNotes } from '../regulations/adoption';
import { canAct, actorLabel } from '../workflow/engine';
import { positionOf, positionOfLabel } from '../../../common/positions';
import { certificatePdf, type CertificateDocument, type PrintedSigner } from './documents';
import { HIV_SERVICE, registerCheckOf, seesHivIdentity } from './rules';
import { certificateMark, type CertificateFacts } from '../verification/documents';

const STATEMENTS: Record<string, { kk: string; ru: string }> = {
  'tb-certificate': {
    kk: 'Көрсетілетін қызметті алушы «Туберкулезбен ауыратын науқастардың ұлттық тіркелімінде» тұрмайды.',
    ru: 'Услугополучатель в «Национальном регистре больных туберкулёзом» не состоит.',
  },
  'psychoneurological-certificate': {
    kk: 'Көрсетілетін қызметті алушы психоневрологиялық диспансердің есебінде тұрмайды.',
    ru: 'Услугополучатель на учёте в психоневрологическом диспансере не состоит.',
  },
  'narcology-certificate': {
    kk: 'Көрсетілетін қызметті алушы наркологиялық диспансердің есебінде тұрмайды.',
    ru: 'Услугополучатель на учёте в наркологическом диспансере не состоит.',
  },
  [HIV_SERVICE]: {
    kk: 'АИТВ-инфекциясының антиденелеріне зерттеу нәтижесі теріс.',
    ru: 'Результат обследования на антитела к ВИЧ отрицательный.',
  },
};

function definitionOf(app: AppContext, row: RequestRow): ServiceDefinition {
  const def = catalogOf(app).catalog.byKey(row.definition_key);
  if (!def) throw new ApiError('regulation-invalid', `the regulation ${row.definition_key} is not loaded`, { key: row.definition_key });
  return def;
}

/** The canonical certificate document of a request (built once, at the first signature or issue). */
export function buildDocument(
  app: AppContext,
  row: RequestRow,
  def: ServiceDefinition,
  number: string,
  code: string | null,
): CertificateDocument {
  const org = getOrganization(app.db)!;
  const person = row.person_iin ? findPersonByIin(app.db, row.person_iin) : null;
  const check = registerCheckOf(def) ? checksOfRequest(app.db, row.id).at(-1) : undefined;
  return {
    type: row.service_id === HIV_SERVICE ? 'hiv-negative-certificate' : 'dispensary-certificate',
    number,
    request: row.number,
    serviceId: row.service_id,
    definitionKey: row.definition_key,
    title: { kk: def.resultDocument.title.kk, ru: def.resultDocument.title.ru },
    statement: STATEMENTS[row.service_id] ?? { kk: def.resultDocument.title.kk, ru: def.resultDocument.title.ru },
    organization: { bin: org.bin, name: { kk: org.name.kk, ru: org.name.ru }, address: org.address },
    person: row.person_iin
      ? {
          iin: row.person_iin,
          name: person ? [person.surname, person.givenName, person.patronymic].filter(Boolean).join(' ') : null,
          birthDate: person?.birthDate ?? null,
        }
      : null,
    code,
    register: check
      ? { kind: check.register, checkedAt: check.checked_at, checkedBy: check.checked_login, found: check.found === 1 }
      : null,
    issuedOn: orgToday(app),
    act: { number: def.act.number, date: def.act.date },
    adoption: adoptionNotes(app, def),
  };
}

export function hashOf(doc: unknown): string {
  return createHash('sha256').update(canonicalBytes(doc)).digest('hex');
}

export function nextCertificateNumber(app: AppContext): string {
  return issueNumber(app.db, getOrganization(app.db)!.workstationPrefix, 'certificate');
}

/** Insert a certificate row for an already built document (inside the caller's transaction). */
export function storeCertificate(app: AppContext, row: RequestRow, doc: CertificateDocument, required: number, at: Date): CertificateRow {
  insertCertificate(app.db, {
    number: doc.number,
    request_id: row.id,
    service_id: row.service_id,
    document: JSON.stringify(doc),
    hash: hashOf(doc),
    signatures_required: required,
    created_at: at.toISOString(),
  });
  return certificateOfRequest(app.db, row.id)!;
}

export interface SignArgs {
  requestId: number;
  stepId: string;
  source: SigningSource;
  keyId?: string;
  secret: string;
}

/** Signs the certificate at a signing step and completes that step; the last signature issues it. */
export async function sign(app: AppContext, staff: StaffRow, a: SignArgs): Promise<CertificateSummary> {
  const row = getRequestRow(app.db, a.requestId);
  if (!row) throw new ApiError('not-found', `no service request ${a.requestId}`, { id: a.requestId });
  const def = definitionOf(app, row);
  // Signed here: the services with a step declared `"action": "signature"` (the HIV certificate is issued on release).
  if (!def.steps.some((s) => s.action === 'signature'))
    throw new ApiError('validation', `${row.service_id} is not signed here`, {}, ['requestId']);
  if (row.status !== 'open')
    throw new ApiError('request-closed', `request ${row.number} is already ${row.status}`, { number: row.number, status: row.status });
  const open = openStepRow(app.db, row.id)!;
  const step = stepById(def, a.stepId);
  if (open.step_id !== a.stepId)
    throw new ApiError('step-not-current', `request ${row.number} is at step ${open.step_id}, not ${a.stepId}`, {
      step: a.stepId,
      current: open.step_id,
    });
  if (!step?.signsResult) throw new ApiError('validation', `step ${a.stepId} signs nothing`, {}, ['stepId']);
  if (!canAct(step, engineActor(staff))) {
    throw new ApiError('wrong-role', `step ${a.stepId} is for ${actorLabel(step)}, not ${actorLabel(engineActor(staff))}`, {
      required: actorLabel(step),
      role: actorLabel(engineActor(staff)),
    });
  }
  // A signature after the cash desk needs the fee paid (and not voided).
  const cashIndex = def.steps.findIndex((s) => s.journal === 'cash');
  const stepIndex = def.steps.findIndex((s) => s.id === a.stepId);
  if (row.fee_kzt > 0 && cashIndex >= 0 && stepIndex > cashIndex) {
    const p = paymentOfRequest(app.db, row.id);
    if (!p || p.voided) throw new ApiError('payment-required', `request ${row.number} is not paid`, { number: row.number });
  }
  const required = def.steps.filter((s) => s.signsResult).length;
  const now = app.clock();
  let cert = certificateOfRequest(app.db, row.id);
  const doc: CertificateDocument = cert ? (JSON.parse(cert.document) as CertificateDocument) : buildDocument(app, row, def, '', null);
  if (!cert) {
    // The number is reserved inside the storing transaction; the signed bytes must include it, so take it now.
    doc.number = app.db.transaction(() => nextCertificateNumber(app)).immediate();
  }
  const previous = cert ? signaturesOf(app.db, cert.id).at(-1) : undefined;
  const signed = await signDocument(app, staff, { source: a.source, keyId: a.keyId, secret: a.secret, existing: previous?.cms }, doc);
  const engine = engineOf(app);
  app.db
    .transaction(() => {
      if (!cert) cert = storeCertificate(app, row, doc, required, now);
      const seq = signaturesOf(app.db, cert.id).length + 1;
      insertSignature(app.db, {
        certificate_id: cert.id,
        seq,
        step_id: a.stepId,
        role: actorLabel(engineActor(staff)),
        staff_id: staff.id,
        signer_name: signed.certificate.name || staff.full_name,
        certificate_serial: signed.certificate.serial,
        cms: signed.cms,
        signed_at: now.toISOString(),
      });
      const issued = seq >= cert.signatures_required;
      if (issued) markIssued(app.db, cert.id, now.toISOString());
      recordChange(app.db, actorOf(staff), now, () => undefined, {
        audit: {
          action: issued ? 'certificate.issued' : 'certificate.signed',
          entity: 'certificate',
          entityId: cert.number,
          details: { request: row.number, step: a.stepId, seq, serial: signed.certificate.serial, hash: cert.hash },
        },
        outbox: {
          kind: 'certificate.signature',
          entity: 'certificate',
          entityId: cert.number,
          payload: {
            number: cert.number,
            request: row.number,
            step: a.stepId,
            seq,
            document: seq === 1 ? JSON.parse(cert.document) : undefined,
            hash: cert.hash,
            cms: signed.cms.toString('base64'),
            issued,
          },
        },
      });
      engine.completeStep(row.id, a.stepId, engineActor(staff), {
        note: `certificate ${cert.number} signed (${seq}/${cert.signatures_required})`,
      });
    })
    .immediate();
  return summary(app, staff, certificateOfRequest(app.db, row.id)!);
}

export function summary(app: AppContext, staff: StaffRow, c: CertificateRow): CertificateSummary {
  const row = getRequestRow(app.db, c.request_id)!;
  const hidden = row.service_id === HIV_SERVICE && !seesHivIdentity(staff);
  return {
    number: c.number,
    requestId: c.request_id,
    requestNumber: row.number,
    serviceId: c.service_id,
    hash: c.hash,
    createdAt: c.created_at,
    issuedAt: c.issued_at,
    signaturesRequired: c.signatures_required,
    signers: signaturesOf(app.db, c.id).map((s) => ({
      stepId: s.step_id,
      role: s.role,
      name: s.signer_name,
      signedAt: s.signed_at,
      serial: s.certificate_serial,
    })),
    personIin: hidden ? null : row.person_iin,
    personName: hidden || !row.person_iin ? null : personDisplayName(app.db, row.person_iin),
  };
}

export function ofRequest(app: AppContext, staff: StaffRow, requestId: number): CertificateSummary | null {
  const c = certificateOfRequest(app.db, requestId);
  return c ? summary(app, staff, c) : null;
}

/** The PDF of a certificate, from the stored canonical document (a re-print is the same document). */
export async function pdf(app: AppContext, staff: StaffRow, a: { number: string; language: 'kk' | 'ru' }) {
  const c = certificateByNumber(app.db, a.number.trim());
  if (!c) throw new ApiError('not-found', `no certificate ${a.number}`, { number: a.number });
  const row = getRequestRow(app.db, c.request_id)!;
  if (row.service_id === HIV_SERVICE && !seesHivIdentity(staff))
    throw new ApiError('forbidden', 'HIV certificates are handed over by the counselling room', {});
  const doc = JSON.parse(c.document) as CertificateDocument;
  const signers = printedSigners(app, c, doc);
  const org = getOrganization(app.db)!;
  const mark = c.issued_at ? certificateMark(app, actorOf(staff), org, certificateFacts(app, c, row, doc, signers)) : undefined;
  return certificatePdf(doc, c.hash, signers, a.language, org.timezone, checkerName(app, doc), mark);
}

/** What the certificate's verification record says: as printed, the HIV one with its code only (issue 19). */
function certificateFacts(
  app: AppContext,
  c: CertificateRow,
  row: RequestRow,
  doc: CertificateDocument,
  signers: PrintedSigner[],
): CertificateFacts {
  const hiv = row.service_id === HIV_SERVICE;
  const cms = signaturesOf(app.db, c.id).at(-1)?.cms ?? null;
  return {
    number: c.number,
    requestId: row.id,
    title: doc.title,
    hiv,
    person: hiv || !doc.person ? null : { iin: doc.person.iin, name: doc.person.name },
    code: hiv ? doc.code : null,
    issuedAt: c.issued_at!,
    issuedOn: doc.issuedOn,
    signers: signers.map((s) => ({ name: s.name, position: s.position, signedAt: s.signedAt })),
    signed: cms ? { document: Buffer.from(canonicalBytes(JSON.parse(c.document))), cms: Buffer.from(cms) } : null,
    revoked: null,
  };
}

/**
 * The signers as printed: the employee's full name from the staff list (the certificate's name only for a signer
 * no longer there) and the position from the role and specialty. A certificate issued without ЭЦҚ (HIV) prints
 * who issued it, with the place for the wet signature.
 */
function printedSigners(app: AppContext, c: CertificateRow, doc: CertificateDocument): PrintedSigner[] {
  const signed = signaturesOf(app.db, c.id).map((s) => ({
    name: (s.staff_id !== null ? getStaff(app.db, s.staff_id)?.full_name : undefined) ?? s.signer_name,
    position: positionOfLabel(s.role),
    signedAt: s.signed_at,
  }));
  if (signed.length > 0 || !doc.issuedBy) return signed;
  return [{ name: doc.issuedBy.name, position: positionOf(doc.issuedBy.role, doc.issuedBy.specialty), signedAt: null }];
}

/** Who checked the register, by full name (the document keeps the login). */
function checkerName(app: AppContext, doc: CertificateDocument): string | undefined {
  return doc.register ? findStaffByLogin(app.db, doc.register.checkedBy)?.full_name : undefined;
}

/** The detached CMS and the canonical document bytes of a certificate (for verification). */
export function signedData(app: AppContext, number: string): { document: Buffer; cms: Buffer | null } {
  const c = certificateByNumber(app.db, number);
  if (!c) throw new ApiError('not-found', `no certificate ${number}`, { number });
  return { document: Buffer.from(canonicalBytes(JSON.parse(c.document))), cms: signaturesOf(app.db, c.id).at(-1)?.cms ?? null };
}

/** The certificate issuance journal of [from, to] (local dates, widened to UTC by the zone's offset). */
export function journal(app: AppContext, staff: StaffRow, a: { from: string; to: string }): CertificateSummary[] {
  const tz = getOrganization(app.db)?.timezone ?? 'Asia/Almaty';
  const from = new Date(Date.parse(`${a.from}T00:00:00Z`) - 14 * 3600_000).toISOString();
  const to = new Date(Date.parse(`${a.to}T00:00:00Z`) + 38 * 3600_000).toISOString();
  return issuedCertificates(app.db, from, to, 5000)
    .filter((c) => {
      const d = new Date(c.issued_at!).toLocaleDateString('sv-SE', { timeZone: tz });
      return d >= a.from && d <= a.to;
    })
    .map((c) => summary(app, staff, c));
}
