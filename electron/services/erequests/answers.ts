/**
 * Answering an e-request: the decision (the registrar's, or the rules' when they must or may decide) with, for a
 * result, the journal entry through the desk service (the same call register / pre-registration journal /
 * attachment journal as a desk request) and the registrar's step completed; then the answer document — the result
 * or the motivated refusal — signed with the provider key (CAdES-BES, detached over the canonical JSON) and queued
 * as `erequest.status` for the central server. Signing is asynchronous, so a decision is saved first (status
 * `decided`) and signed after; one that could not be signed (no key configured, token absent) is signed next round.
 */
import { ApiError } from '../../../common/errors';
import { erequestContentSchema, type ErequestContent, type SignedAnswer } from '../../../common/erequests';
import { recordChange } from '../../../db/change';
import * as dbe from '../../../db/erequests';
import { getOrganization } from '../../../db/organization';
import { getRequestRow, openStepRow, personDisplayName, type RequestRow } from '../../../db/requests';
import { erequestAnswerMark } from '../verification/documents';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import * as appointments from '../desk/appointments';
import * as attachments from '../desk/attachments';
import * as homeVisits from '../desk/home-visits';
import { signAsProvider } from '../signing-desk';
import { catalogOf } from '../workflow/context';
import { canAct, type EngineActor } from '../workflow/engine';
import { engineOf } from '../workflow/app-engine';
import {
  decisionOf,
  PROVIDER_KEY_ACTOR,
  proposalOf,
  refusal,
  RULES,
  staffActor,
  statusOp,
  type Decision,
  type Proposal,
  type StoredDecision,
} from './decisions';
import { onBehalfOf, providerKey } from './settings';
import { SecretsUnavailableError } from '../secrets';
import { yieldToEventLoop } from '../sync/slices';

/**
 * Takes the decision: for a result, the journal entry through the desk service (as a desk request would land),
 * the registrar's check step completed; for a refusal, the step completed with the refusal. Then the decision
 * waits for its signature.
 */
export function decide(app: AppContext, row: dbe.ErequestRow, decision: Decision, staff: StaffRow | null): void {
  const now = app.clock();
  const request = row.request_id !== null ? (getRequestRow(app.db, row.request_id) ?? null) : null;
  const content = row.content ? (erequestContentSchema.safeParse(JSON.parse(row.content)).data ?? null) : null;
  const proposal = proposalOf(row);
  const actor: EngineActor = staff ? staffActor(staff) : RULES;
  const journalStaff = staff ?? (decision.kind === 'result' ? onBehalfOf(app) : null);
  let final: Decision = decision;
  let journal: { ref: string; data: Record<string, unknown> } | null = null;
  try {
    recordChange(
      app.db,
      actor,
      now,
      () => {
        if (decision.kind === 'result') {
          if (!request || !content || !journalStaff) throw new ApiError('validation', 'the e-request cannot be answered with a result', {});
          journal = makeJournalEntry(app, journalStaff, content, proposal, request);
        }
        if (request && request.status === 'open') {
          const open = openStepRow(app.db, request.id);
          if (open && canAct(open, actor)) {
            engineOf(app).completeStep(request.id, open.step_id, actor, {
              condition: decision.kind === 'refusal' ? 'grounds-not-met' : null,
              note: decision.reasons.join('; ') || null,
            });
          }
        }
        dbe.saveDecision(app.db, row.id, JSON.stringify({ ...final, journal: journal?.data ?? null }), journal?.ref ?? null, now);
      },
      {
        audit: {
          action: 'erequest.decided',
          entity: 'erequest',
          entityId: row.number,
          details: { kind: decision.kind, code: decision.code, by: decision.by },
        },
      },
    );
  } catch (e) {
    if (!(e instanceof ApiError) || decision.kind !== 'result') throw e;
    // The desk refused the entry (slot taken meanwhile, doctor on leave, already attached…): a motivated refusal.
    final = refusal('grounds-not-met', [`${e.code}: ${e.message}`], decision.by);
    decide(app, row, final, staff);
  }
}

/** The journal entry of a confirmed e-request, made through the desk service exactly as a desk request's would be. */
function makeJournalEntry(
  app: AppContext,
  staff: StaffRow,
  c: ErequestContent,
  p: Proposal,
  request: RequestRow,
): { ref: string; data: Record<string, unknown> } {
  const portal = { request };
  if (c.type === 'home-visit') {
    if (!p.doctorId || !p.visitDate || !p.windowFrom || !p.windowTo)
      throw new ApiError('no-free-slot', 'no district doctor can visit today', { doctor: '', date: '' });
    // Passing the portal request makes the journal row's channel `portal` (the `channel` argument is then unused).
    const v = homeVisits.registerHomeVisit(
      app,
      staff,
      {
        iin: c.iin,
        channel: 'desk',
        address: c.address,
        phone: c.phone ?? null,
        complaint: c.complaint,
        caller: 'self',
        districtId: p.districtId ?? null,
        doctorId: p.doctorId,
        visitDate: p.visitDate,
        windowFrom: p.windowFrom,
        windowTo: p.windowTo,
      },
      portal,
    );
    return {
      ref: v.number,
      data: {
        callNumber: v.number,
        visitDate: v.visitDate,
        window: [v.windowFrom, v.windowTo],
        doctor: v.doctor.fullName,
        district: v.district,
      },
    };
  }
  if (c.type === 'appointment') {
    if (!p.doctorId) throw new ApiError('not-found', `no doctor ${c.doctor}`, {});
    const a = appointments.book(app, staff, { iin: c.iin, doctorId: p.doctorId, slotStart: c.slotStart, channel: 'desk' }, portal);
    return { ref: a.number, data: { appointmentNumber: a.number, slotStart: a.slotStart, doctor: a.doctor.fullName } };
  }
  const def = catalogOf(app).catalog.byKey(request.definition_key)!;
  // The signed e-request is the application; identity is established by the verified signature.
  const documents = def.documents.filter((d) => d.required).map((d) => d.id);
  const t = attachments.attach(
    app,
    staff,
    {
      iin: c.iin,
      documents,
      districtId: p.districtId ?? null,
      doctorId: p.doctorId ?? null,
      previousOrganization: c.previousOrganization ?? null,
    },
    portal,
  );
  return {
    ref: t.talonNumber,
    data: {
      talonNumber: t.talonNumber,
      district: t.district.number,
      doctor: t.doctor?.fullName ?? null,
      verification: t.verification,
      date: t.date,
    },
  };
}

/** The document the citizen receives: the result certificate / talon, or the motivated refusal. */
function answerDocument(app: AppContext, row: dbe.ErequestRow, d: StoredDecision) {
  const org = getOrganization(app.db)!;
  const def = row.request_id !== null ? catalogOf(app).catalog.byKey(getRequestRow(app.db, row.request_id)!.definition_key) : undefined;
  const base = {
    number: row.number,
    registeredAs: row.registered_as,
    service: row.service_type,
    iin: row.iin,
    organization: { bin: org.bin, name: org.name },
    issuedAt: app.clock().toISOString(),
    callCentre: '1414',
  };
  if (d.kind === 'result')
    return {
      type: def?.resultDocument.id ?? `${row.service_type}-result`,
      title: def?.resultDocument.title ?? null,
      ...base,
      ...d.journal,
    };
  return { type: 'motivated-refusal', ...base, code: d.code, reason: d.reason, reasons: d.reasons };
}

/** Signs decided answers with the provider key and queues them for the central server. Returns how many. */
export async function signDecided(app: AppContext, limit = 200): Promise<number> {
  let key;
  try {
    key = providerKey(app);
  } catch (e) {
    // A missing or replaced key file: said once per round in the log, the answers wait (nothing is lost).
    if (e instanceof SecretsUnavailableError) {
      app.log.error('erequests.provider-key-sealed', { error: e.message });
      return 0;
    }
    throw e;
  }
  if (!key) return 0;
  let n = 0;
  for (const row of dbe.listDecided(app.db, limit)) {
    const d = decisionOf(row);
    if (!d) continue;
    // The answer is a document the citizen can have checked (issue 19): its page's URL and code travel in it.
    const mark = erequestAnswerMark(app, PROVIDER_KEY_ACTOR, getOrganization(app.db)!, {
      number: row.number,
      requestId: row.request_id,
      iin: row.iin,
      name: row.iin ? personDisplayName(app.db, row.iin) : null,
      result: d.kind === 'result',
      issuedAt: app.clock().toISOString(),
    });
    const doc = { ...answerDocument(app, row, d), verificationPage: { url: mark.url, code: mark.grouped } };
    let signed;
    try {
      signed = await signAsProvider(app, { source: key.source, keyId: key.keyId, secret: key.secret }, doc);
    } catch (e) {
      app.log.warn('erequests.sign-failed', { number: row.number, code: e instanceof ApiError ? e.code : 'error' });
      return n;
    }
    const now = app.clock();
    const answer: SignedAnswer = {
      kind: d.kind,
      code: d.code,
      reason: d.reason,
      reasons: d.reasons,
      document: signed.content.toString('utf8'),
      cms: signed.cms.toString('base64'),
    };
    recordChange(
      app.db,
      PROVIDER_KEY_ACTOR,
      now,
      () =>
        dbe.saveAnswer(
          app.db,
          row.id,
          {
            status: d.kind === 'result' ? 'done' : 'refused',
            journal_ref: row.journal_ref,
            answer_kind: d.kind,
            refusal_code: d.code,
            answer_doc: answer.document,
            answer_cms: signed.cms,
            answered_by: d.by,
          },
          now,
        ),
      {
        audit: {
          action: 'erequest.answered',
          entity: 'erequest',
          entityId: row.number,
          details: { kind: d.kind, code: d.code, certificate: signed.certificate.serial },
        },
        outbox: (ok) =>
          ok
            ? statusOp(row, {
                status: d.kind === 'result' ? 'done' : 'refused',
                registeredAs: row.registered_as,
                deadlineAt: row.deadline_at,
                at: now.toISOString(),
                answer,
              })
            : null,
      },
    );
    n++;
    // Each answer is a signature and a commit, several milliseconds; the signing is awaited but often settles at
    // once, which lets no timer or API call in. Without this a backlog of 200 held the desk's thread 1.5 s.
    await yieldToEventLoop();
  }
  return n;
}
