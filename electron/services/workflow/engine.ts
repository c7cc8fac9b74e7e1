/**
 * Why one file of about 450 lines: it is one state machine. Its three transitions share the request loading,
 * step opening and role checks of one closure, and each keeps its audit entry and outbox payload beside the change
 * they record; splitting them would scatter the rules of one transaction over several files.
 *
 * The step engine: a service request moves through its regulation's steps.
 *
 * - `start` registers a request under one exact regulation version (its definition key), opens the channel's
 *   first step (passing over steps skipped by rule: no fee → no cashier) and fixes the deadlines: the step's from
 *   the regulation and the organization's calendar, the whole request's from `maxTotal` — both from when the person
 *   applied (`startedAtMs`: the gateway's receipt, the registrar's first action), not from the registration.
 * - `completeStep` closes the current step as the role it names (and, for physicians, the specialty), follows the
 *   edge the reported condition selects, and opens the next step — or ends the request: with the result, another
 *   outcome, or a motivated refusal whose reason is copied into the history.
 * - `cancel` ends an open request with a reason, recorded on the step it was at.
 *
 * Every change is one IMMEDIATE transaction holding the rows, the audit entry and the outbox operation
 * (`request.start`, `request.step`, `request.cancel`); the checks run inside that transaction, so two completions
 * of one step cannot both pass. History is never rewritten: step rows are completed once, requests never deleted
 * (the database's triggers refuse both).
 *
 * The engine knows nothing of payments or signatures: the cashier's and the signing modules call `completeStep`
 * as the cashier or physician once their own work is done.
 */
import { ApiError } from '../../../common/errors';
import {
  chooseEdge,
  definitionKey,
  DONE,
  firstStep,
  resolveStep,
  stepById,
  stepDeadlineMs,
  totalDuration,
  type Channel,
  type RequestContext,
  type ServiceDefinition,
  type StepDefinition,
} from '../../../common/regulations';
import { deadlineMs, type WorkingCalendar } from '../../../common/working-calendar';
import { recordChange } from '../../../db/change';
import type { Clock } from '../../../common/clock';
import type { Db } from '../../../db/connection';
import {
  closeRequest,
  completeStepRow,
  type StepCompletion,
  getRequestRow,
  insertRequest,
  insertStep,
  listStepRows,
  moveRequestTo,
  openStepRow,
  type RequestRow,
  type StepRow,
} from '../../../db/requests';
import { insertStepJournalEntry } from '../../../db/step-journal';
import { issueNumber } from '../numbers';
import { actorLabel, anonymousCode, canAct, canCancel, type EngineActor } from './actors';

export { actorLabel, anonymousCode, canAct, canCancel, type EngineActor } from './actors';

export interface EngineDeps {
  db: Db;
  clock: Clock;
  /** The regulation version a running request refers to, by `definitionKey`. */
  definition(key: string): ServiceDefinition | undefined;
  calendar(): WorkingCalendar;
  /** The organization's workstation prefix (request numbers: `A4-000123`). */
  workstationPrefix(): string;
}

export type PersonRef = { iin: string } | { anonymous: true };

export interface CompleteOptions {
  condition?: string | null;
  note?: string | null;
  /**
   * When the step was really done, if not now (epoch ms): the portal's and the citizen's steps of an e-request were
   * done when the gateway received it, whenever this workstation processes it. Never later than now.
   */
  atMs?: number;
}

export interface StartOptions {
  /**
   * When the request really started (epoch ms), if not now: the gateway's receipt of a portal request, the moment
   * the registrar began with the person at the desk or on the phone. The request's and the first step's deadlines
   * run from it. Never later than now (callers validate what they take from outside).
   */
  startedAtMs?: number;
}

/** A moment given by the caller (epoch ms), checked: a finite time not after now; now when absent. */
function effectiveMs(ms: number | undefined, nowMs: number, field: string): number {
  if (ms === undefined) return nowMs;
  if (!Number.isFinite(ms)) throw new ApiError('validation', `${field} is not a time`, {}, [field]);
  if (ms > nowMs) throw new ApiError('validation', `${field} is in the future`, {}, [field]);
  return ms;
}

const EXTERNAL = new Set(['portal', 'citizen', 'system']);

/** Closes the request's open step as done, refused or cancelled by this actor at this time (who/when filled in once). */
function closeOpenStep(
  db: Db,
  stepRowId: number,
  actor: EngineActor,
  at: Date,
  result: Omit<StepCompletion, 'completed_at' | 'completed_ms' | 'completed_by' | 'completed_login' | 'completed_role'>,
): boolean {
  return completeStepRow(db, stepRowId, {
    completed_at: at.toISOString(),
    completed_ms: at.getTime(),
    completed_by: actor.staffId,
    completed_login: actor.login,
    completed_role: actorLabel(actor),
    ...result,
  });
}

export interface WorkflowEngine {
  start(
    definition: ServiceDefinition,
    channel: Channel,
    person: PersonRef,
    actor: EngineActor,
    context: RequestContext,
    options?: StartOptions,
  ): RequestRow;
  completeStep(requestId: number, stepId: string, actor: EngineActor, options?: CompleteOptions): RequestRow;
  cancel(requestId: number, actor: EngineActor, reason: string): RequestRow;
  /**
   * Sends an open request back to an earlier step (a voided payment back to the cash desk): the current step is
   * closed as cancelled with the reason, and a new row of the earlier step is opened; the history stays.
   */
  returnTo(requestId: number, stepId: string, actor: EngineActor, reason: string): RequestRow;
}

export function createEngine(deps: EngineDeps): WorkflowEngine {
  const { db } = deps;

  function openStep(requestId: number, seq: number, serviceId: string, step: StepDefinition, startMs: number) {
    const due = stepDeadlineMs(step, startMs, deps.calendar());
    insertStep(db, {
      request_id: requestId,
      seq,
      step_id: step.id,
      service_id: serviceId,
      role: step.role,
      specialty: step.specialty ?? null,
      started_at: new Date(startMs).toISOString(),
      started_ms: startMs,
      started_day: deps.calendar().localDayOf(startMs),
      deadline_at: new Date(due).toISOString(),
      deadline_ms: due,
    });
    return { stepId: step.id, deadlineAt: new Date(due).toISOString() };
  }

  function definitionOf(row: RequestRow): ServiceDefinition {
    const def = deps.definition(row.definition_key);
    if (!def) {
      throw new ApiError('regulation-invalid', `the regulation ${row.definition_key} of request ${row.number} is not loaded`, {
        key: row.definition_key,
      });
    }
    return def;
  }

  function loadOpen(requestId: number): { row: RequestRow; def: ServiceDefinition; open: StepRow } {
    const row = getRequestRow(db, requestId);
    if (!row) throw new ApiError('not-found', `no service request ${requestId}`, { id: requestId });
    if (row.status !== 'open') {
      throw new ApiError('request-closed', `request ${row.number} is already ${row.status}`, { number: row.number, status: row.status });
    }
    const def = definitionOf(row);
    const open = openStepRow(db, requestId);
    if (!open) throw new ApiError('internal', `request ${row.number} is open but has no open step`);
    return { row, def, open };
  }

  return {
    start(def, channel, person, actor, context, options = {}) {
      if (!def.channels.includes(channel)) {
        throw new ApiError('validation', `${def.id} is not offered through the ${channel} channel`, { channel }, ['channel']);
      }
      if (!Number.isInteger(context.feeKzt) || context.feeKzt < 0)
        throw new ApiError('validation', 'the fee must be a whole number ≥ 0', {}, ['feeKzt']);
      const anonymous = 'anonymous' in person;
      if (anonymous && !def.anonymousAllowed) {
        throw new ApiError('validation', `${def.id} cannot be requested anonymously: the person's IIN is required`, {}, ['iin']);
      }
      const first = firstStep(def, channel, context);
      // Portal requests arrive through the gateway; at the desk, the registrar or whoever does the first step.
      if (channel === 'portal' ? !EXTERNAL.has(actor.role) : first !== DONE && !canAct(first, actor) && actor.role !== 'registrar') {
        throw new ApiError('wrong-role', `${actor.role} may not register ${def.id} (${channel})`, {
          required: first === DONE ? 'registrar' : actorLabel(first),
          role: actorLabel(actor),
        });
      }
      const now = deps.clock();
      const startMs = effectiveMs(options.startedAtMs, now.getTime(), 'startedAt');
      const startIso = new Date(startMs).toISOString();
      const total = totalDuration(def, channel);
      const requestDue = total ? deadlineMs(startMs, total, deps.calendar()) : startMs;
      return recordChange(
        db,
        actor,
        now,
        () => {
          const number = issueNumber(db, deps.workstationPrefix(), 'request');
          const code = anonymous ? anonymousCode() : null;
          const id = insertRequest(db, {
            number,
            definition_key: definitionKey(def),
            service_id: def.id,
            region: def.region,
            channel,
            person_iin: anonymous ? null : person.iin,
            anonymous_code: code,
            fee_kzt: context.feeKzt,
            current_step: first === DONE ? DONE : first.id,
            created_at: startIso,
            created_ms: startMs,
            created_day: deps.calendar().localDayOf(startMs),
            created_by: actor.staffId,
            deadline_at: new Date(requestDue).toISOString(),
            deadline_ms: requestDue,
          });
          let opened: { stepId: string; deadlineAt: string } | null = null;
          if (first === DONE)
            closeRequest(db, id, { status: 'done', outcome_code: null, closed_at: now.toISOString(), closed_ms: now.getTime() });
          else opened = openStep(id, 1, def.id, first, startMs);
          return { row: getRequestRow(db, id)!, opened };
        },
        {
          // Never the IIN or anything that identifies the person (anonymous requests in particular).
          audit: ({ row, opened }) => ({
            action: 'request.started',
            entity: 'service_request',
            entityId: row.number,
            details: { key: row.definition_key, channel, anonymous, feeKzt: context.feeKzt, step: opened?.stepId ?? null },
          }),
          outbox: ({ row, opened }) => ({
            kind: 'request.start',
            entity: 'service_request',
            entityId: row.number,
            payload: {
              number: row.number,
              definitionKey: row.definition_key,
              serviceId: row.service_id,
              channel,
              personIin: row.person_iin,
              anonymousCode: row.anonymous_code,
              feeKzt: row.fee_kzt,
              createdAt: row.created_at,
              deadlineAt: row.deadline_at,
              step: opened,
            },
          }),
        },
      ).row;
    },

    completeStep(requestId, stepId, actor, options = {}) {
      const now = deps.clock();
      const requestedMs = effectiveMs(options.atMs, now.getTime(), 'atMs');
      return recordChange(
        db,
        actor,
        now,
        () => {
          const { row, def, open } = loadOpen(requestId);
          // A step is never done before it opened.
          const nowMs = Math.max(requestedMs, open.started_ms);
          const at = new Date(nowMs);
          if (open.step_id !== stepId) {
            const done = listStepRows(db, requestId).some((s) => s.step_id === stepId && s.completed_ms !== null);
            if (done) {
              throw new ApiError(
                'step-already-completed',
                `step ${stepId} of ${row.number} is already completed; the request is at ${open.step_id}`,
                {
                  step: stepId,
                  current: open.step_id,
                },
              );
            }
            throw new ApiError('step-not-current', `request ${row.number} is at step ${open.step_id}, not ${stepId}`, {
              step: stepId,
              current: open.step_id,
            });
          }
          const step = stepById(def, stepId);
          if (!step) throw new ApiError('regulation-invalid', `${definitionKey(def)} has no step ${stepId}`, { key: definitionKey(def) });
          if (!canAct(step, actor)) {
            throw new ApiError('wrong-role', `step ${stepId} is for ${actorLabel(step)}, not ${actorLabel(actor)}`, {
              required: actorLabel(step),
              role: actorLabel(actor),
            });
          }
          const condition = options.condition ?? null;
          if (condition !== null && !step.next.some((e) => e.when === condition)) {
            throw new ApiError('validation', `condition "${condition}" does not apply to step ${stepId}`, { condition }, ['condition']);
          }
          const edge = chooseEdge(step, condition === null ? [] : [condition]);
          const refused = edge.refusal !== undefined;
          const ok = closeOpenStep(db, open.id, actor, at, {
            outcome: refused ? 'refused' : 'done',
            condition,
            refusal_code: edge.refusal?.code ?? null,
            refusal_reason: edge.refusal ? JSON.stringify(edge.refusal.reason) : null,
            note: options.note?.trim() || null,
          });
          if (!ok)
            throw new ApiError('step-already-completed', `step ${stepId} of ${row.number} is already completed`, {
              step: stepId,
              current: stepId,
            });

          // A step the regulation calls a journal entry writes that journal's row (the cash journal is the cashier's).
          if (!refused && step.journal && step.journal !== 'cash') {
            insertStepJournalEntry(db, {
              journal: step.journal,
              request_id: requestId,
              step_id: stepId,
              service_id: row.service_id,
              person_iin: row.person_iin,
              entered_at: now.toISOString(),
              entered_by: actor.staffId,
            });
          }
          let next: string | null = null;
          let status: RequestRow['status'] = 'open';
          if (refused) {
            status = 'refused';
            closeRequest(db, requestId, { status, outcome_code: edge.refusal!.code, closed_at: at.toISOString(), closed_ms: nowMs });
          } else {
            const target = resolveStep(def, edge.to, { feeKzt: row.fee_kzt });
            if (target === DONE) {
              status = 'done';
              closeRequest(db, requestId, {
                status,
                outcome_code: edge.outcome?.code ?? null,
                closed_at: at.toISOString(),
                closed_ms: nowMs,
              });
            } else {
              openStep(requestId, open.seq + 1, row.service_id, target, nowMs);
              moveRequestTo(db, requestId, target.id);
              next = target.id;
            }
          }
          return {
            row: getRequestRow(db, requestId)!,
            completedAt: at.toISOString(),
            next,
            status,
            condition,
            refusal: edge.refusal?.code ?? null,
            outcome: edge.outcome?.code ?? null,
          };
        },
        {
          audit: (r) => ({
            action: r.status === 'refused' ? 'request.refused' : r.status === 'done' ? 'request.completed' : 'request.step-completed',
            entity: 'service_request',
            entityId: r.row.number,
            details: { step: stepId, condition: r.condition, next: r.next, refusal: r.refusal, outcome: r.outcome },
          }),
          outbox: (r) => ({
            kind: 'request.step',
            entity: 'service_request',
            entityId: r.row.number,
            payload: {
              number: r.row.number,
              step: stepId,
              completedAt: r.completedAt,
              completedBy: actor.login,
              role: actorLabel(actor),
              condition: r.condition,
              refusal: r.refusal,
              outcome: r.outcome,
              next: r.next,
              status: r.status,
            },
          }),
        },
      ).row;
    },

    returnTo(requestId, stepId, actor, reason) {
      const now = deps.clock();
      const nowMs = now.getTime();
      return recordChange(
        db,
        actor,
        now,
        () => {
          const { row, def, open } = loadOpen(requestId);
          const target = stepById(def, stepId);
          if (!target) throw new ApiError('regulation-invalid', `${definitionKey(def)} has no step ${stepId}`, { key: definitionKey(def) });
          const from = def.steps.findIndex((s) => s.id === open.step_id);
          if (open.step_id === stepId || from < def.steps.indexOf(target))
            throw new ApiError('step-not-current', `request ${row.number} is at step ${open.step_id}, not after ${stepId}`, {
              step: stepId,
              current: open.step_id,
            });
          closeOpenStep(db, open.id, actor, now, {
            outcome: 'cancelled',
            condition: null,
            refusal_code: null,
            refusal_reason: null,
            note: `returned to ${stepId}: ${reason}`,
          });
          openStep(requestId, open.seq + 1, row.service_id, target, nowMs);
          moveRequestTo(db, requestId, target.id);
          return { row: getRequestRow(db, requestId)!, from: open.step_id };
        },
        {
          audit: (r) => ({
            action: 'request.step-returned',
            entity: 'service_request',
            entityId: r.row.number,
            details: { from: r.from, to: stepId, reason },
          }),
          outbox: (r) => ({
            kind: 'request.return',
            entity: 'service_request',
            entityId: r.row.number,
            payload: { number: r.row.number, from: r.from, to: stepId, at: now.toISOString(), by: actor.login, reason },
          }),
        },
      ).row;
    },

    cancel(requestId, actor, reason) {
      const text = reason.trim();
      if (text.length < 3) throw new ApiError('validation', 'a cancellation needs a reason', {}, ['reason']);
      const now = deps.clock();
      const nowMs = now.getTime();
      return recordChange(
        db,
        actor,
        now,
        () => {
          const { row, open } = loadOpen(requestId);
          if (!canCancel(open, actor)) {
            throw new ApiError('wrong-role', `only ${actorLabel(open)} or the administrator may cancel ${row.number} now`, {
              required: actorLabel(open),
              role: actorLabel(actor),
            });
          }
          closeOpenStep(db, open.id, actor, now, {
            outcome: 'cancelled',
            condition: null,
            refusal_code: null,
            refusal_reason: null,
            note: text,
          });
          closeRequest(db, requestId, { status: 'cancelled', outcome_code: null, closed_at: now.toISOString(), closed_ms: nowMs });
          return { row: getRequestRow(db, requestId)!, step: open.step_id };
        },
        {
          audit: (r) => ({
            action: 'request.cancelled',
            entity: 'service_request',
            entityId: r.row.number,
            details: { step: r.step, reason: text },
          }),
          outbox: (r) => ({
            kind: 'request.cancel',
            entity: 'service_request',
            entityId: r.row.number,
            payload: {
              number: r.row.number,
              step: r.step,
              cancelledAt: now.toISOString(),
              by: actor.login,
              role: actorLabel(actor),
              reason: text,
            },
          }),
        },
      ).row;
    },
  };
}
