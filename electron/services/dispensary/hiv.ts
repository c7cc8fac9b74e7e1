/**
 * HIV examination (service 7): voluntary anonymous (the person is only the code the engine generated at the first
 * step) or mandatory confidential (the IIN recorded, visible only to the counselling doctor and the nurse).
 *
 * The sample label carries the code (and a sample number), never a name. The laboratory result is entered once,
 * by the code. The result is released only against the code: the counselling doctor types the code, the
 * post-test step is completed with the result (positive → the outcome `positive-follow-up`, no certificate, the
 * follow-up list; negative → the certificate of the negative result).
 */
import { ApiError } from '../../../common/errors';
import { recordChange } from '../../../db/change';
import {
  markIssued,
  hivFollowUps,
  hivTestByCode,
  hivTestOf,
  insertHivTest,
  setHivReleased,
  setHivResult,
  setHivSample,
  type HivTestRow,
} from '../../../db/dispensary';
import { getOrganization } from '../../../db/organization';
import { getRequestRow, openStepRow, type RequestRow } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { actorOf } from '../auth';
import { catalogOf } from '../workflow/context';
import { engineActor, engineOf } from '../workflow/app-engine';
import { buildDocument, nextCertificateNumber, pdf, storeCertificate } from './certificates';
import { sampleLabelPdf } from './documents';
import { HIV_SERVICE } from './rules';
import { hivRequestByCode } from '../../../db/dispensary';

function hivRequest(app: AppContext, requestId: number): RequestRow {
  const row = getRequestRow(app.db, requestId);
  if (!row || row.service_id !== HIV_SERVICE) throw new ApiError('not-found', `no HIV examination ${requestId}`, { id: requestId });
  return row;
}

/** The test record of a request (created on first use: the code is the anonymous code or the request number). */
function ensureTest(app: AppContext, row: RequestRow): HivTestRow {
  const t = hivTestOf(app.db, row.id);
  if (t) return t;
  insertHivTest(app.db, {
    request_id: row.id,
    code: row.anonymous_code ?? row.number,
    mode: row.anonymous_code ? 'anonymous' : 'confidential',
  });
  return hivTestOf(app.db, row.id)!;
}

function byCode(app: AppContext, code: string): HivTestRow {
  const clean = code.trim().toUpperCase();
  const t = hivTestByCode(app.db, clean);
  if (t) return t;
  // A request that has not reached the laboratory yet still has its code on the request itself.
  const row = hivRequestByCode(app.db, HIV_SERVICE, clean);
  if (!row) throw new ApiError('code-unknown', 'no examination with this code', { code: clean });
  return app.db.transaction(() => ensureTest(app, row)).immediate();
}

export function testOf(app: AppContext, requestId: number) {
  const t = hivTestOf(app.db, requestId);
  return t ? { code: t.code, mode: t.mode, sampleNo: t.sample_no, result: t.result, resultAt: t.result_at } : null;
}

/** The sample label (the nurse at the blood draw); the sample is recorded once, re-prints show the same number. */
export async function label(app: AppContext, staff: StaffRow, a: { requestId: number }) {
  const row = hivRequest(app, a.requestId);
  const now = app.clock();
  const t = recordChange(
    app.db,
    actorOf(staff),
    now,
    () => {
      const t0 = ensureTest(app, row);
      if (!t0.sample_no) setHivSample(app.db, row.id, `${t0.code}-1`, now.toISOString());
      return hivTestOf(app.db, row.id)!;
    },
    { audit: { action: 'hiv.sample-labelled', entity: 'service_request', entityId: row.number } },
  );
  return sampleLabelPdf(t.code, t.sample_no!, t.drawn_at!, getOrganization(app.db)!.timezone);
}

/** The laboratory result, by the code, once. */
export function enterResult(app: AppContext, staff: StaffRow, a: { code: string; result: 'negative' | 'positive' }) {
  const t = byCode(app, a.code);
  const row = getRequestRow(app.db, t.request_id)!;
  const now = app.clock();
  recordChange(
    app.db,
    actorOf(staff),
    now,
    () => {
      const open = row.status === 'open' ? openStepRow(app.db, row.id) : undefined;
      if (!open || open.step_id !== 'post-test-counselling') {
        throw new ApiError('step-not-current', `the examination ${t.code} is not waiting for a laboratory result`, {
          step: 'post-test-counselling',
          current: open?.step_id ?? row.status,
        });
      }
      if (!setHivResult(app.db, row.id, a.result, now.toISOString(), staff.id))
        throw new ApiError('result-already-entered', `the result of ${t.code} is already entered`, { code: t.code });
    },
    {
      audit: { action: 'hiv.result-entered', entity: 'service_request', entityId: row.number },
      outbox: {
        kind: 'hiv.result',
        entity: 'service_request',
        entityId: row.number,
        payload: { number: row.number, code: t.code, result: a.result, at: now.toISOString() },
      },
    },
  );
  return { code: t.code, result: a.result, resultAt: now.toISOString() };
}

/**
 * Post-test counselling: the result released against the code. Completes the step (positive → follow-up, no
 * certificate); a negative result gets its certificate in the same transaction.
 */
export async function release(app: AppContext, staff: StaffRow, a: { code: string }) {
  const t = byCode(app, a.code);
  if (!t.result) throw new ApiError('result-missing', `the result of ${t.code} is not entered yet`, { code: t.code });
  const row = getRequestRow(app.db, t.request_id)!;
  const def = catalogOf(app).catalog.byKey(row.definition_key)!;
  const now = app.clock();
  const engine = engineOf(app);
  const certNumber = app.db
    .transaction(() => {
      engine.completeStep(row.id, 'post-test-counselling', engineActor(staff), {
        condition: t.result === 'positive' ? 'result-positive' : null,
        note: `result released against code`,
      });
      setHivReleased(app.db, row.id, now.toISOString());
      if (t.result !== 'negative') return null;
      const doc = buildDocument(app, getRequestRow(app.db, row.id)!, def, nextCertificateNumber(app), t.code);
      // Not signed with ЭЦҚ in this flow: the counselling doctor who releases it signs and stamps the paper.
      doc.issuedBy = { name: staff.full_name, role: staff.role, specialty: staff.specialty };
      const cert = storeCertificate(app, row, doc, 0, now);
      markIssued(app.db, cert.id, now.toISOString());
      recordChange(app.db, actorOf(staff), now, () => undefined, {
        audit: {
          action: 'certificate.issued',
          entity: 'certificate',
          entityId: cert.number,
          details: { request: row.number, hash: cert.hash },
        },
      });
      return cert.number;
    })
    .immediate();
  return {
    code: t.code,
    result: t.result,
    certificate: certNumber,
    pdf: certNumber ? await pdf(app, staff, { number: certNumber, language: staff.language === 'ru' ? 'ru' : 'kk' }) : null,
  };
}

/** The counselling doctor's follow-up list: positive results, by code. */
export function followUps(app: AppContext) {
  return hivFollowUps(app.db, 500).map((t) => ({
    code: t.code,
    number: t.number,
    mode: t.mode,
    resultAt: t.result_at!,
    releasedAt: t.released_at,
  }));
}
