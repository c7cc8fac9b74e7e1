/**
 * Service requests as the API sees them (`requests.*`): start one, complete a step, cancel, view one with its
 * history and what the caller may do, and the caller's queue. Decisions about steps are the engine's (engine.ts); a
 * step done through its own action (declared in the regulation, dispatched through actions.ts) is refused here;
 * SQL is in db/requests.ts.
 */
import { ApiError } from '../../../common/errors';
import {
  DONE,
  resolveStep,
  stepById,
  stepDuration,
  type Channel,
  type ServiceDefinition,
  type StepActionKind,
  type StepDefinition,
} from '../../../common/regulations';
import { deadlineStatus } from '../../../common/working-calendar';
import type { Localized, QueueRow, RequestView, StepChoice } from '../../../common/workflow';
import { priceOn } from '../../../db/dispensary';
import { getRequestRow, getSurvey, listStepRows, personDisplayName, queueRows, staffFullName, type RequestRow } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { requireValidIin } from '../people';
import { dueStepAction, identityHiddenFrom, stepActionHandler } from './actions';
import { refuseIdentifyingText, requireAnonymousCancelReason } from './anonymous-text';
import { engineActor, engineOf, organization, orgToday } from './app-engine';
import { catalogOf } from './context';
import { requireRegulatedResult } from './regulated-result';
import { canAct, canCancel } from './engine';
import { fallbackTitle, limitOf, stepTitle } from './labels';
import { requestStartMs } from './request-start';

export interface StartArgs {
  serviceId: string;
  channel: Channel;
  iin?: string | null;
  anonymous?: boolean;
  /** When the registrar began with the person (ISO time from the form); the request's clock starts then. */
  startedAt?: string | null;
}

export function start(app: AppContext, staff: StaffRow, a: StartArgs): RequestView {
  const org = organization(app);
  const def = catalogOf(app).catalog.byId(a.serviceId, org.region, orgToday(app));
  if (!def) {
    throw new ApiError('service-not-in-force', `no regulation of ${a.serviceId} is in force in ${org.region} today`, {
      service: a.serviceId,
      region: org.region,
    });
  }
  let person: { iin: string } | { anonymous: true };
  if (a.anonymous) {
    if (a.iin) throw new ApiError('validation', 'an anonymous request holds no IIN', {}, ['iin']);
    person = { anonymous: true };
  } else {
    if (!a.iin) throw new ApiError('validation', 'the person’s IIN is required', {}, ['iin']);
    person = { iin: requireValidIin(a.iin).iin };
  }
  // The fee: the price list in force today (issue 6), else the regulation's default — never the caller's (issue 14).
  const fee = priceOn(app.db, def.id, orgToday(app))?.fee_kzt ?? def.fee.kzt;
  const startedMs = requestStartMs(app, a.startedAt);
  const row = engineOf(app).start(
    def,
    a.channel,
    person,
    engineActor(staff),
    { feeKzt: fee },
    startedMs === undefined ? {} : { startedAtMs: startedMs },
  );
  return view(app, staff, row.id);
}

export function completeStep(
  app: AppContext,
  staff: StaffRow,
  a: { requestId: number; stepId: string; condition?: string | null; note?: string | null },
): RequestView {
  // A step the regulation declares as done through its own action (a register check, a payment, a signature, an
  // HIV result) is completed by that action's method, never by the plain completion.
  const row = getRequestRow(app.db, a.requestId);
  const def = row ? catalogOf(app).catalog.byKey(row.definition_key) : undefined;
  const step = def ? stepById(def, a.stepId) : undefined;
  const action =
    row && row.status === 'open' && step && row.current_step === a.stepId ? dueStepAction(step, { feeKzt: row.fee_kzt }) : null;
  if (row && action) refusePlainCompletion(row, a.stepId, action);
  // A home visit, appointment or attachment ends only with its journal row (the desk's own methods write it).
  if (row && def && step && row.status === 'open' && row.current_step === a.stepId)
    requireRegulatedResult(app, row, def, step, a.condition ?? null);
  if (row?.anonymous_code) refuseIdentifyingText(app.db, 'note', a.note);
  engineOf(app).completeStep(a.requestId, a.stepId, engineActor(staff), { condition: a.condition ?? null, note: a.note ?? null });
  return view(app, staff, a.requestId);
}

/** Refuses the plain completion of a step whose action completes it (with the code its handler names). */
function refusePlainCompletion(row: RequestRow, stepId: string, action: StepActionKind): void {
  const handler = stepActionHandler(action);
  if (!handler)
    throw new ApiError('internal', `step ${stepId} declares the action "${action}", which no module handles`, { step: stepId, action });
  if (handler.plainCompletionRefusedWith) {
    throw new ApiError(handler.plainCompletionRefusedWith, `step ${stepId} is completed by its own action (${action})`, {
      step: stepId,
      action,
      code: row.anonymous_code ?? row.number,
      number: row.number,
    });
  }
}

export function cancel(app: AppContext, staff: StaffRow, a: { requestId: number; reason: string }): RequestView {
  // An anonymous request's reason is a code: free text could name the person, and the reason is audited and synced.
  if (getRequestRow(app.db, a.requestId)?.anonymous_code) requireAnonymousCancelReason(a.reason);
  engineOf(app).cancel(a.requestId, engineActor(staff), a.reason);
  return view(app, staff, a.requestId);
}

function choicesOf(def: ServiceDefinition, step: StepDefinition, feeKzt: number): StepChoice[] {
  return step.next.map((e) => {
    let nextTitle: Localized | null = null;
    let leadsTo: StepChoice['leadsTo'] = e.refusal ? 'refusal' : e.outcome ? 'outcome' : 'done';
    if (!e.refusal && !e.outcome && e.to !== DONE) {
      const target = resolveStep(def, e.to, { feeKzt });
      if (target !== DONE) {
        leadsTo = 'step';
        nextTitle = target.title;
      }
    }
    return {
      condition: e.when ?? null,
      conditionTitle: e.when ? (def.conditions.find((c) => c.id === e.when)?.title ?? null) : null,
      leadsTo,
      nextTitle,
      refusal: e.refusal ?? null,
      outcome: e.outcome ?? null,
    };
  });
}

/** A request as the caller sees it: the steps' history, the current step and what the caller may do. */
export function view(app: AppContext, staff: StaffRow, requestId: number): RequestView {
  const row = getRequestRow(app.db, requestId);
  if (!row) throw new ApiError('not-found', `no service request ${requestId}`, { id: requestId });
  const def = catalogOf(app).catalog.byKey(row.definition_key);
  const nowMs = app.clock().getTime();
  const actor = engineActor(staff);
  const steps = listStepRows(app.db, requestId);
  const names = new Map<number, string | null>();
  const nameOf = (id: number) => {
    if (!names.has(id)) names.set(id, staffFullName(app.db, id));
    return names.get(id)!;
  };
  const open = steps.find((s) => s.completed_ms === null) ?? null;
  const openDef = open && def ? stepById(def, open.step_id) : undefined;
  const survey = getSurvey(app.db, requestId);
  const endMs = row.closed_ms ?? nowMs;
  const edgeOutcome = row.status === 'done' && row.outcome_code && def ? findOutcome(def, row.outcome_code) : null;
  return {
    id: row.id,
    number: row.number,
    definitionKey: row.definition_key,
    serviceId: row.service_id,
    serviceTitle: def?.titles ?? fallbackTitle(row.service_id),
    resultTitle: def?.resultDocument.title ?? fallbackTitle(row.service_id),
    region: row.region,
    channel: row.channel,
    person:
      row.person_iin && !identityHiddenFrom(def, staff) ? { iin: row.person_iin, name: personDisplayName(app.db, row.person_iin) } : null,
    anonymousCode: row.anonymous_code,
    anonymous: row.anonymous_code !== null,
    feeKzt: row.fee_kzt,
    status: row.status,
    outcome: edgeOutcome,
    createdAt: row.created_at,
    deadlineAt: row.deadline_at,
    closedAt: row.closed_at,
    timeLeftMs: row.deadline_ms - endMs,
    deadlineStatus:
      row.closed_ms !== null
        ? row.closed_ms <= row.deadline_ms
          ? 'on-time'
          : 'overdue'
        : deadlineStatus(row.created_ms, row.deadline_ms, nowMs),
    currentStep:
      open && row.status === 'open'
        ? {
            stepId: open.step_id,
            title: stepTitle(def, open.step_id),
            role: open.role,
            specialty: open.specialty,
            deadlineAt: open.deadline_at,
            timeLeftMs: open.deadline_ms - nowMs,
            deadlineStatus: deadlineStatus(open.started_ms, open.deadline_ms, nowMs),
            choices: def && openDef ? choicesOf(def, openDef, row.fee_kzt) : [],
            canComplete: canAct(open, actor),
          }
        : null,
    canCancel: row.status === 'open' && canCancel(open, actor),
    steps: steps.map((s) => {
      const sd = def ? stepById(def, s.step_id) : undefined;
      return {
        seq: s.seq,
        stepId: s.step_id,
        title: sd?.title ?? fallbackTitle(s.step_id),
        role: s.role,
        specialty: s.specialty,
        limit: sd ? limitOf(stepDuration(sd)) : {},
        startedAt: s.started_at,
        deadlineAt: s.deadline_at,
        completedAt: s.completed_at,
        completedBy:
          s.completed_ms !== null
            ? {
                staffId: s.completed_by,
                login: s.completed_login ?? '',
                fullName: s.completed_by !== null ? nameOf(s.completed_by) : null,
                role: s.completed_role ?? '',
              }
            : null,
        outcome: s.outcome,
        condition: s.condition,
        conditionTitle: s.condition && def ? (def.conditions.find((c) => c.id === s.condition)?.title ?? null) : null,
        refusal: s.refusal_code
          ? { code: s.refusal_code, reason: s.refusal_reason ? (JSON.parse(s.refusal_reason) as Localized) : fallbackTitle(s.refusal_code) }
          : null,
        note: s.note,
        deadlineStatus:
          s.completed_ms !== null
            ? s.completed_ms <= s.deadline_ms
              ? 'on-time'
              : 'overdue'
            : deadlineStatus(s.started_ms, s.deadline_ms, nowMs),
        durationMs: s.completed_ms !== null ? s.completed_ms - s.started_ms : null,
      };
    }),
    survey: survey ? { q1: survey.q1, q2: survey.q2, recordedAt: survey.recorded_at } : null,
    surveyAllowed: !survey && (row.status === 'done' || row.status === 'refused'),
  };
}

function findOutcome(def: ServiceDefinition, code: string): { code: string; title: Localized } | null {
  for (const s of def.steps) for (const e of s.next) if (e.outcome?.code === code) return e.outcome;
  return null;
}

/** Open requests whose current step is the caller's (role and specialty); the administrator sees every open one. */
export function queue(app: AppContext, staff: StaffRow, limit: number): QueueRow[] {
  const catalog = catalogOf(app).catalog;
  const nowMs = app.clock().getTime();
  const all = staff.role === 'administrator';
  return queueRows(app.db, { role: all ? null : staff.role, specialty: staff.specialty, limit }).map((r) => {
    const def = catalog.byKey(r.definition_key);
    // Need to know: a confidential service's identity only to the roles its step actions name (the HIV examination:
    // the counselling doctor and the nurse).
    const hidden = identityHiddenFrom(def, staff);
    return {
      id: r.id,
      number: r.number,
      serviceId: r.service_id,
      serviceTitle: def?.titles ?? fallbackTitle(r.service_id),
      channel: r.channel,
      personName: r.surname && !hidden ? [r.surname, r.given_name, r.patronymic].filter(Boolean).join(' ') : null,
      personIin: hidden ? null : r.person_iin,
      anonymousCode: r.anonymous_code,
      stepId: r.step_id,
      stepTitle: stepTitle(def, r.step_id),
      role: r.role,
      specialty: r.specialty,
      startedAt: r.started_at,
      deadlineAt: r.deadline_at,
      timeLeftMs: r.deadline_ms - nowMs,
      deadlineStatus: deadlineStatus(r.started_ms, r.deadline_ms, nowMs),
      requestDeadlineAt: r.request_deadline_at,
    };
  });
}

/** Services a request can be started for at this workstation today (the registrar's choice list). */
export function inForceToday(app: AppContext): ServiceDefinition[] {
  return catalogOf(app).catalog.inForce(organization(app).region, orgToday(app));
}
