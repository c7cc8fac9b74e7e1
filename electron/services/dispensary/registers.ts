/**
 * The dispensary registers (TB, psychiatric, narcology) as the workstation sees them.
 *
 * - `check`: the register check of a request's check step. It looks the person up by IIN (a primary-key read),
 *   records who looked up whom, when and the answer (register_check + audit), and completes the step in the same
 *   transaction with the answer frozen into it: condition `on-register` (→ motivated refusal, no certificate of
 *   absence) or none, and a note naming the check.
 * - `lookup`: a look-up of a request's person without completing a step (the physician who signs), recorded the
 *   same way; never of an arbitrary IIN.
 * - `importCsv`: an administrator's CSV import (iin, from_date, removed_on) with progress and rejected rows.
 * - `applyRegisterRows`: the one function the central server's reference data (`register.tb`, …) will call.
 *
 * There is no list or browse function: nobody can read a register as a list, only one person at a time, and every
 * read is recorded.
 */
import { enqueueOutbox } from '../../../db/outbox';
import Papa from 'papaparse';
import { ApiError } from '../../../common/errors';
import { parseIin } from '../../../common/iin';
import type { RegisterCheck } from '../../../common/dispensary';
import { appendAudit } from '../../../db/audit';
import type { Db } from '../../../db/connection';
import {
  checksOfRequest,
  insertRegisterCheck,
  insertRegisterImport,
  lookupRegister,
  REGISTERS,
  upsertRegisterEntry,
  type RegisterCheckRow,
  type RegisterKind,
} from '../../../db/dispensary';
import { getRequestRow, openStepRow, type RequestRow } from '../../../db/requests';
import { findStaffByLogin, type StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { actorOf } from '../auth';
import { toCsv } from '../csv';
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

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Accepts YYYY-MM-DD and DD.MM.YYYY. */
function date(v: string | undefined): string | null {
  const t = (v ?? '').trim();
  if (DATE.test(t)) return t;
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(t);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : null;
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

/** ~60 bytes a row: 2,000 rows stay well under the server's 256 KB per operation. */
const REGISTER_ROWS_PER_OP = 2_000;

/** The import in progress per database (the renderer polls registers.importProgress). */
const progress = new WeakMap<Db, { register: RegisterKind; done: number; total: number } | null>();
export function importProgress(app: AppContext) {
  return progress.get(app.db) ?? null;
}

export async function importCsv(
  app: AppContext,
  staff: StaffRow,
  a: { register: RegisterKind; fileName: string; text: string },
  onProgress?: (done: number, total: number) => void,
) {
  if (!(REGISTERS as readonly string[]).includes(a.register)) throw new ApiError('validation', 'unknown register', {}, ['register']);
  const parsed = Papa.parse<string[]>(a.text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
  const rows = parsed.data;
  const header = (rows[0] ?? []).map((c) => c.trim().toLowerCase());
  const col = (n: string) => header.indexOf(n);
  if (col('iin') < 0 || col('from_date') < 0) {
    throw new ApiError(
      'validation',
      'the header must have the columns iin,from_date[,removed_on]',
      { expected: 'iin,from_date,removed_on' },
      ['text'],
    );
  }
  const good: RegisterRow[] = [];
  const rejectedRows: Array<{ line: number; reason: string; raw: string }> = [];
  const seen = new Set<string>();
  let total = 0;
  for (let i = 1; i < rows.length; i++) {
    const cells = rows[i]!;
    if (cells.length === 1 && cells[0]!.trim() === '') continue;
    total++;
    const line = i + 1;
    const raw = cells.join(',').slice(0, 200);
    const reject = (reason: string) => rejectedRows.push({ line, reason, raw });
    const iin = parseIin(cells[col('iin')] ?? '');
    if (!iin.valid) {
      reject(`invalid IIN (${iin.reason})`);
      continue;
    }
    const from = date(cells[col('from_date')]);
    if (!from) {
      reject('from_date is not a date (YYYY-MM-DD or DD.MM.YYYY)');
      continue;
    }
    const removedRaw = col('removed_on') >= 0 ? (cells[col('removed_on')] ?? '').trim() : '';
    const removed = removedRaw === '' ? null : date(removedRaw);
    if (removedRaw !== '' && !removed) {
      reject('removed_on is not a date');
      continue;
    }
    if (removed && removed < from) {
      reject('removed_on is before from_date');
      continue;
    }
    if (seen.has(iin.iin)) {
      reject('the same IIN appears earlier in the file');
      continue;
    }
    seen.add(iin.iin);
    good.push({ iin: iin.iin, fromDate: from, removedOn: removed });
  }
  const now = app.clock();
  const batch = 20_000;
  progress.set(app.db, { register: a.register, done: 0, total: good.length });
  try {
    for (let i = 0; i < good.length; i += batch) {
      app.db
        .transaction(() => {
          const chunk = good.slice(i, i + batch);
          applyRegisterRows(app.db, a.register, chunk, `csv:${a.fileName}`, now);
          // The same rows for the clinic's other desks that check the registers (issue 13), in operations small
          // enough for one push each; they land with the rows or not at all.
          for (let j = 0; j < chunk.length; j += REGISTER_ROWS_PER_OP)
            enqueueOutbox(
              app.db,
              {
                kind: 'register.rows',
                entity: 'register',
                entityId: a.register,
                payload: { register: a.register, rows: chunk.slice(j, j + REGISTER_ROWS_PER_OP) },
              },
              now,
            );
        })
        .immediate();
      const done = Math.min(good.length, i + batch);
      progress.set(app.db, { register: a.register, done, total: good.length });
      onProgress?.(done, good.length);
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    progress.set(app.db, null);
  }
  app.db
    .transaction(() => {
      insertRegisterImport(app.db, {
        register: a.register,
        file_name: a.fileName,
        imported_at: now.toISOString(),
        imported_by: staff.id,
        total,
        accepted: good.length,
        rejected: rejectedRows.length,
      });
      appendAudit(
        app.db,
        actorOf(staff),
        {
          action: 'register.imported',
          entity: 'register',
          entityId: a.register,
          details: { file: a.fileName, total, accepted: good.length, rejected: rejectedRows.length },
        },
        now,
      );
    })
    .immediate();
  const rejectedCsv = toCsv(
    rejectedRows.map((r) => [r.line, r.reason, r.raw]),
    { header: ['line', 'reason', 'row'], quoteColumns: [false, true, true] },
  );
  return {
    register: a.register,
    total,
    accepted: good.length,
    rejected: rejectedRows.length,
    rejectedRows: rejectedRows.slice(0, 1000),
    rejectedCsv,
  };
}
