/**
 * The single entry point of every API call, whatever the transport (Electron IPC, the web host, tests).
 *
 * Order matters: method name → who is calling → may this role call it → arguments valid → handler → result
 * valid → the projection of the result for the caller's role. Role checks come before argument validation so a caller without the right learns nothing about the
 * method's shape. Everything that goes wrong becomes `{ ok: false, error: { code, message } }`.
 */
import { api, isApiMethod, type ApiMethod } from '../../common/api';
import { project } from '../../common/api/projections';
import { ApiError, type ApiErrorData, type Result } from '../../common/errors';
import { getStaff } from '../../db/staff';
import { swapWindowClosing, swapWindowsOpened } from '../../db/swap-window';
import type { AppContext } from './app';
import { SESSION_MAX_HOURS, type SessionSlot } from './auth';
import { handlers, type CallContext } from './handlers';
import { projectionContext } from './need-to-know';

/** Methods a user who must change their password may still call. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set<ApiMethod>([
  'session.current',
  'session.logout',
  'session.changePassword',
  'session.setLanguage',
  'org.get',
]);

const fail = (code: ApiErrorData['code'], message: string, extra: Partial<ApiErrorData> = {}): Result<never> => ({
  ok: false,
  error: { code, message, ...extra },
});

/** Every answer carries the workstation's clock, so the renderer's "now" is the main process's (one clock). */
/** What a locked screen still allows: unlocking, and the session itself (the lock screen's own calls). */
const ALLOWED_WHEN_LOCKED = new Set<string>(['session.unlock', 'session.lock', 'session.current', 'session.logout']);

export async function dispatch(app: AppContext, slot: SessionSlot, method: unknown, rawArgs: unknown): Promise<Result<unknown>> {
  const result = await answer(app, slot, method, rawArgs);
  return { ...result, now: app.clock().toISOString() };
}

async function answer(app: AppContext, slot: SessionSlot, method: unknown, rawArgs: unknown): Promise<Result<unknown>> {
  if (!isApiMethod(method)) return fail('unknown-method', `no such method: ${String(method).slice(0, 60)}`);
  const spec = api[method];

  let staff = slot.staffId === null ? null : (getStaff(app.db, slot.staffId) ?? null);
  if (staff && staff.disabled) {
    // An account disabled by the administrator is logged out everywhere at its next call.
    slot.staffId = null;
    staff = null;
  }
  // A session lives at most SESSION_MAX_HOURS: then it ends, wherever it is (a shared front-desk PC).
  if (staff && slot.startedAt !== undefined && app.clock().getTime() - slot.startedAt > SESSION_MAX_HOURS * 3_600_000) {
    slot.staffId = null;
    slot.locked = false;
    staff = null;
  }
  if (spec.access !== 'public') {
    if (!staff) return fail('unauthenticated', 'log in first');
    if (slot.locked && !ALLOWED_WHEN_LOCKED.has(method)) return fail('session-locked', 'the screen is locked: unlock it first');
    if (spec.access !== 'staff' && !(spec.access as readonly string[]).includes(staff.role)) {
      app.log.warn('api.forbidden', { method, role: staff.role, staffId: staff.id });
      return fail('forbidden', `the role ${staff.role} may not call ${method}`, { params: { method, role: staff.role } });
    }
    if (staff.must_change_password && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(method)) {
      return fail('password-change-required', 'change the temporary password first');
    }
  }

  const parsed = spec.args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(arguments)'))];
    return fail('validation', parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; '), { fields });
  }

  const ctx: CallContext = { app, slot, staff };
  try {
    const handler = handlers[method] as (ctx: CallContext, args: unknown) => unknown;
    const value = await waitingOutSwaps(app, method, () => handler(ctx, parsed.data));
    const checked = spec.result.safeParse(value);
    if (!checked.success) {
      app.log.error('api.bad-result', { method, issues: checked.error.issues.slice(0, 3).map((i) => i.path.join('.')) });
      return fail('internal', 'the result did not match the contract');
    }
    // Need to know: what this role may see of the answer (common/api/projections.ts), for every method.
    return { ok: true, value: project(method, checked.data as never, parsed.data as never, projectionContext(app, staff)) };
  } catch (error) {
    return { ok: false, error: toErrorData(app, method, error) };
  }
}

/** Times a call may meet a register swap's lock and run again (each time after that swap): more means a fault. */
const SWAP_RETRIES = 3;

/**
 * Runs a call; one whose write met the write lock of a register import's swap (SQLITE_BUSY at once, its
 * transaction rolled back: db/swap-window.ts) runs again when the swap is over, asynchronously — the event loop
 * and every other call go on meanwhile. A busy database with no swap involved is a storage fault, as before.
 */
async function waitingOutSwaps(app: AppContext, method: string, run: () => unknown): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    const windowsBefore = swapWindowsOpened(app.db);
    const openBefore = swapWindowClosing(app.db) !== null;
    try {
      return await run();
    } catch (error) {
      const busy = /^SQLITE_BUSY/.test(String((error as { code?: unknown })?.code));
      const swapMet = openBefore || swapWindowsOpened(app.db) !== windowsBefore;
      if (!busy || !swapMet || attempt > SWAP_RETRIES) throw error;
      app.log.info('api.waited-for-register-swap', { method, attempt });
      await swapWindowClosing(app.db);
    }
  }
}

function toErrorData(app: AppContext, method: string, error: unknown): ApiErrorData {
  if (error instanceof ApiError) return error.toData();
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED)/.test(code)) {
    app.log.error('api.storage', { method, code });
    return { code: 'storage', message: `the database could not be written (${code}); nothing was saved`, params: { sqlite: code } };
  }
  app.log.error('api.internal', { method, error: error instanceof Error ? error.message : String(error) });
  return { code: 'internal', message: 'an unexpected error; nothing was saved' };
}
