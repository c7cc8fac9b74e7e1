/**
 * The dispensary registers (TB, psychiatric, narcology) as the workstation sees them.
 *
 * - `check`: the register check of a request's check step. It looks the person up by IIN (a primary-key read),
 *   records who looked up whom, when and the answer (register_check + audit), and completes the step in the same
 *   transaction with the answer frozen into it: condition `on-register` (→ motivated refusal, no certificate of
 *   absence) or none, and a note naming the check.
 * - `lookup`: a look-up of a request's person without completing a step (the physician who signs), recorded the
 *   same way; never of an arbitrary IIN.
 * - `applyRegisterRows`: the rows of an administrator's CSV import (register-import.ts) and of the central server.
 *
 * There is no list or browse function: nobody can read a register as a list, only one person at a time, and every
 * read is recorded.
 */
import { ApiError } from '../../../common/errors';
import type { RegisterCheck } from '../../../common/dispensary';
import { appendAudit } from '../../../db/audit';
import type { Db } from '../../../db/connection';
import {
  checksOfRequest,
  insertRegisterCheck,
  lookupRegister,
  upsertRegisterEntry,
  type RegisterCheckRow,
  type RegisterKind,
} from '../../../db/dispensary';
import { getRequestRow, openStepRow, type RequestRow } from '../../../db/requests';
import { findStaffByLogin, type StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { actorOf } from '../auth';
import { catalogOf } from '../workflow/context';
import { engineActor, engineOf, orgToday } from '../workflow/app-engine';
import { registerCheckOf, seesRegister } from './rules';

/** A check as the screen shows it: who checked by full name (a login is never shown where a name belongs). */
export function toCheck(app: AppContext, r: RegisterCheckRow): RegisterCheck {
  return {
    id: r.id,
    register: r.register,
    iin: r.iin,
    found: r.found === 1,
    fromDate: r.from_date,
    removedOn: r.removed_on,
    checkedAt: r.checked_at,
    checkedBy: r.checked_login,
    checkedByName: findStaffByLogin(app.db, r.checked_login)?.full_name ?? null,
    requestId: r.request_id,
  };
}

function requireSees(staff: StaffRow, register: RegisterKind): void {
  if (!seesRegister(staff, register)) {
    throw new ApiError('forbidden', `the ${register} register is visible only to its dispensary's roles`, { register, role: staff.role });
  }
}

/** On the register today: an entry whose from-date has come and which has not been removed by today. */
function answer(db: Db, register: RegisterKind, iin: string, today: string) {
  const e = lookupRegister(db, register, iin);
  const found = !!e && e.from_date <= today && (e.removed_on === null || e.removed_on > today);
  return { found, from_date: e?.from_date ?? null, removed_on: e?.removed_on ?? null };
}

/**
 * Asks the register about the person and records the answer (who asked, when, for which request) with its audit
 * entry: a check that completes the step and a look-up that does not are recorded alike. Call inside a transaction.
 */
function recordCheck(
  app: AppContext,
  staff: StaffRow,
  a: { register: RegisterKind; iin: string; request: RequestRow; today: string; action: 'register.checked' | 'register.looked-up' },
): { id: number; ans: ReturnType<typeof answer> } {
  const now = app.clock();
  const ans = answer(app.db, a.register, a.iin, a.today);
  const id = insertRegisterCheck(app.db, {
    register: a.register,
    iin: a.iin,
    request_id: a.request.id,
    found: ans.found ? 1 : 0,
    from_date: ans.from_date,
    removed_on: ans.removed_on,
    checked_at: now.toISOString(),
    checked_by: staff.id,
    checked_login: staff.login,
  });
  appendAudit(
    app.db,
    actorOf(staff),
    {
      action: a.action,
      entity: 'service_request',
      entityId: a.request.number,
      details: { register: a.register, iin: a.iin, found: ans.found, check: id },
    },
    now,
  );
  return { id, ans };
}

/** The register check of a request: recorded, audited and frozen into the check step, all in one transaction. */
export function check(
  app: AppContext,
  staff: StaffRow,
  a: { requestId: number; documentsIncomplete?: boolean; note?: string | null },
): RegisterCheck {
  const row = getRequestRow(app.db, a.requestId);
  if (!row) throw new ApiError('not-found', `no service request ${a.requestId}`, { id: a.requestId });
  const def = catalogOf(app).catalog.byKey(row.definition_key);
  const rule = def ? registerCheckOf(def) : null;
  if (!rule) throw new ApiError('validation', `${row.service_id} has no register check`, { service: row.service_id }, ['requestId']);
  requireSees(staff, rule.register);
  if (!row.person_iin) throw new ApiError('validation', 'the request names no person', {}, ['requestId']);
  const today = orgToday(app);
  const engine = engineOf(app);
  return app.db
    .transaction(() => {
      const open = openStepRow(app.db, row.id);
      if (row.status !== 'open' || !open)
        throw new ApiError('request-closed', `request ${row.number} is already ${row.status}`, { number: row.number, status: row.status });
      if (open.step_id !== rule.stepId) {
        throw new ApiError('step-not-current', `request ${row.number} is at step ${open.step_id}, not ${rule.stepId}`, {
          step: rule.stepId,
          current: open.step_id,
        });
      }
      const { id, ans } = recordCheck(app, staff, {
        register: rule.register,
        iin: row.person_iin!,
        request: row,
        today,
        action: 'register.checked',
      });
      const condition = ans.found ? 'on-register' : a.documentsIncomplete ? 'documents-incomplete' : null;
      // The answer is frozen into the step: the condition, and a note naming the check (not its contents).
      const note = [`register-check #${id}: ${ans.found ? 'on-register' : 'not-on-register'}`, a.note?.trim()].filter(Boolean).join(' · ');
      engine.completeStep(row.id, rule.stepId, engineActor(staff), { condition, note });
      return toCheck(
        app,
        checksOfRequest(app.db, row.id).find((c) => c.id === id)!,
      );
    })
    .immediate();
}

/**
 * A look-up of the person of a request of the dispensary's service (the physician who signs, the desk before the
 * check), without completing a step; recorded and audited. There is no look-up of an arbitrary IIN.
 */
export function lookup(app: AppContext, staff: StaffRow, a: { requestId: number }): RegisterCheck {
  const row = getRequestRow(app.db, a.requestId);
  if (!row) throw new ApiError('not-found', `no service request ${a.requestId}`, { id: a.requestId });
  const def = catalogOf(app).catalog.byKey(row.definition_key);
  const rule = def ? registerCheckOf(def) : null;
  if (!rule) throw new ApiError('validation', `${row.service_id} has no register check`, { service: row.service_id }, ['requestId']);
  requireSees(staff, rule.register);
  if (!row.person_iin) throw new ApiError('validation', 'the request names no person', {}, ['requestId']);
  const iin = row.person_iin;
  const today = orgToday(app);
  return app.db
    .transaction(() => {
      const { id } = recordCheck(app, staff, { register: rule.register, iin, request: row, today, action: 'register.looked-up' });
      return toCheck(
        app,
        checksOfRequest(app.db, row.id).find((c) => c.id === id)!,
      );
    })
    .immediate();
}

/** The checks of a request (of a service checking `register`), for those who may see the register; others get none. */
export function checksVisibleTo(app: AppContext, staff: StaffRow, requestId: number, register: RegisterKind | null): RegisterCheck[] {
  if (!register || !seesRegister(staff, register)) return [];
  return checksOfRequest(app.db, requestId).map((r) => toCheck(app, r));
}

// ---------------------------------------------------------------------------------------------------------------
// Import and refresh

export interface RegisterRow {
  iin: string;
  fromDate: string;
  removedOn: string | null;
}

/**
 * Applies register rows (upsert by IIN; a row with removed_on keeps the person's history of being removed). The
 * central server's reference data (`register.tb`, `register.psychiatric`, `register.narcology`) goes through here.
 * Call inside a transaction for atomicity; returns the number applied.
 */
export function applyRegisterRows(db: Db, register: RegisterKind, rows: readonly RegisterRow[], source: string, at: Date): number {
  const stamp = at.toISOString();
  for (const r of rows)
    upsertRegisterEntry(db, { register, iin: r.iin, from_date: r.fromDate, removed_on: r.removedOn, source, updated_at: stamp });
  return rows.length;
}
