/**
 * Staff log-in with lockout. Five wrong passwords in a row lock the account for 15 minutes (an administrator's
 * password reset unlocks it at once). Unknown logins cost the same scrypt work as known ones, so response time
 * does not tell which logins exist.
 */
import { ApiError } from '../../common/errors';
import type { Language } from '../../common/roles';
import type { SessionInfo } from '../../common/schemas';
import { SYSTEM_ACTOR, type Actor } from '../../db/audit';
import { recordChange } from '../../db/change';
import { getOrganization } from '../../db/organization';
import { getSetting, setSetting } from '../../db/settings';
import {
  findStaffByLogin,
  recordLoginFailure,
  recordLoginSuccess,
  setStaffLanguage,
  setStaffPassword,
  toStaff,
  type StaffRow,
} from '../../db/staff';
import type { AppContext } from './app';
import { hashPassword, hashPasswordSync, needsRehash, verifyPassword } from './passwords';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
/** A hash to check an unknown login's password against (the same work as a known one). Made at the first log-in,
 * not at start-up: scrypt at module load was an eighth of the start-up's time (issue 18, goal 5). */
let dummyHash: string | null = null;
const DUMMY_HASH = () => (dummyHash ??= hashPasswordSync('not-a-real-password-0'));

/** Where a transport keeps who is logged in: per BrowserWindow in Electron, per browser session on the web host. */
export interface SessionSlot {
  staffId: number | null;
  /** When this person logged in (epoch ms): a session lives at most SESSION_MAX_HOURS. */
  startedAt?: number;
  /** The screen is locked: only unlocking (with the password) or logging out is possible. */
  locked?: boolean;
}

/** A session ends after this long whatever happens (a shared front-desk PC): log in again at the next shift. */
export const SESSION_MAX_HOURS = 12;
/** Minutes without input before the window locks itself, unless the administrator set the organization's own. */
export const DEFAULT_IDLE_MINUTES = 10;
const IDLE_SETTING = 'session.idleMinutes';

export function idleMinutes(app: AppContext): number {
  return getSetting<number>(app.db, IDLE_SETTING) ?? DEFAULT_IDLE_MINUTES;
}

export function setIdleMinutes(app: AppContext, admin: StaffRow, minutes: number): void {
  recordChange(app.db, actorOf(admin), app.clock(), () => setSetting(app.db, IDLE_SETTING, minutes), {
    audit: { action: 'session.idle-minutes', entity: 'setting', entityId: IDLE_SETTING, details: { minutes } },
  });
}

export function actorOf(staff: StaffRow): Actor {
  return { staffId: staff.id, login: staff.login, role: staff.role };
}

export function sessionInfo(app: AppContext, staff: StaffRow, slot?: SessionSlot): SessionInfo {
  const organization = getOrganization(app.db);
  if (!organization) throw new ApiError('internal', 'the organization is not set up');
  return { staff: toStaff(staff, app.clock()), organization, locked: slot?.locked === true, idleMinutes: idleMinutes(app) };
}

/** Locks the screen: the session and whatever the person was typing stay, under the lock. */
export function lock(app: AppContext, slot: SessionSlot, staff: StaffRow): void {
  if (slot.locked) return;
  slot.locked = true;
  recordChange(app.db, actorOf(staff), app.clock(), () => undefined, {
    audit: { action: 'session.locked-screen', entity: 'staff', entityId: staff.id },
  });
}

/** The same person's password unlocks; a wrong one counts like a wrong log-in, and the fifth logs the session out. */
export async function unlock(app: AppContext, slot: SessionSlot, staff: StaffRow, password: string): Promise<SessionInfo> {
  const now = app.clock();
  if (!(await verifyPassword(password, staff.password_hash))) {
    const failures = staff.failed_attempts + 1;
    const lockUntil = failures >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
    recordChange(app.db, actorOf(staff), now, () => recordLoginFailure(app.db, staff.id, lockUntil, now), {
      audit: { action: lockUntil ? 'session.locked' : 'session.unlock-failed', entity: 'staff', entityId: staff.id, details: { failures } },
    });
    if (lockUntil) {
      slot.staffId = null;
      slot.locked = false;
      throw new ApiError('account-locked', 'too many wrong passwords', { until: lockUntil });
    }
    throw new ApiError('bad-credentials', 'wrong password', {}, ['password']);
  }
  recordChange(app.db, actorOf(staff), now, () => recordLoginSuccess(app.db, staff.id, now), {
    audit: { action: 'session.unlocked', entity: 'staff', entityId: staff.id },
  });
  slot.locked = false;
  return sessionInfo(app, { ...staff, failed_attempts: 0, locked_until: null }, slot);
}

/**
 * Logs a person in. The answers do not tell a known login from an unknown one (issue 14): the same
 * `bad-credentials` without a count of tries left, the same password check, and the same kind of write (a failed
 * attempt is audited for both), so neither the text nor the time gives it away. A disabled account says so only to
 * someone who knows its password; a locked one says so, as the person locked out must know why.
 */
export async function login(app: AppContext, slot: SessionSlot, loginName: string, password: string): Promise<SessionInfo> {
  const name = loginName.trim().toLowerCase();
  const staff = findStaffByLogin(app.db, name);
  const now = app.clock();
  const ok = await verifyPassword(password, staff?.password_hash ?? DUMMY_HASH());
  if (!staff) {
    recordChange(app.db, SYSTEM_ACTOR, now, () => undefined, {
      audit: { action: 'session.login-unknown', entity: 'staff', entityId: name.slice(0, 40) },
    });
    app.log.warn('session.login-unknown');
    throw new ApiError('bad-credentials', 'wrong login or password');
  }
  if (staff.locked_until && staff.locked_until > now.toISOString()) {
    throw new ApiError('account-locked', 'too many wrong passwords', { until: staff.locked_until });
  }
  if (!ok) {
    const failures = staff.failed_attempts + 1;
    const lock = failures >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
    recordChange(app.db, actorOf(staff), now, () => recordLoginFailure(app.db, staff.id, lock, now), {
      audit: { action: lock ? 'session.locked' : 'session.login-failed', entity: 'staff', entityId: staff.id, details: { failures } },
    });
    if (lock) throw new ApiError('account-locked', 'too many wrong passwords', { until: lock });
    throw new ApiError('bad-credentials', 'wrong login or password');
  }
  if (staff.disabled) throw new ApiError('account-disabled', 'this account is disabled');
  // A hash made with weaker parameters than today's is made again now that the password is known.
  const rehash = needsRehash(staff.password_hash) ? await hashPassword(password) : null;
  recordChange(
    app.db,
    actorOf(staff),
    now,
    () => {
      recordLoginSuccess(app.db, staff.id, now);
      if (rehash) setStaffPassword(app.db, staff.id, rehash, staff.must_change_password === 1, now);
    },
    { audit: { action: 'session.login', entity: 'staff', entityId: staff.id, ...(rehash ? { details: { rehashed: true } } : {}) } },
  );
  slot.staffId = staff.id;
  slot.startedAt = now.getTime();
  slot.locked = false;
  return sessionInfo(app, { ...staff, failed_attempts: 0, locked_until: null }, slot);
}

export function logout(app: AppContext, slot: SessionSlot, staff: StaffRow | null): void {
  if (staff) {
    recordChange(app.db, actorOf(staff), app.clock(), () => undefined, {
      audit: { action: 'session.logout', entity: 'staff', entityId: staff.id },
    });
  }
  slot.staffId = null;
  slot.locked = false;
  slot.startedAt = undefined;
}

export function setLanguage(app: AppContext, staff: StaffRow, language: Language): void {
  const now = app.clock();
  recordChange(app.db, actorOf(staff), now, () => setStaffLanguage(app.db, staff.id, language, now), {
    audit: { action: 'staff.language', entity: 'staff', entityId: staff.id, details: { language } },
  });
}

export async function changePassword(app: AppContext, staff: StaffRow, current: string, next: string): Promise<void> {
  if (!(await verifyPassword(current, staff.password_hash))) {
    throw new ApiError('bad-credentials', 'the current password is wrong', {}, ['current']);
  }
  if (current === next) throw new ApiError('validation', 'the new password must differ from the current one', {}, ['next']);
  const hash = await hashPassword(next);
  const now = app.clock();
  recordChange(app.db, actorOf(staff), now, () => setStaffPassword(app.db, staff.id, hash, false, now), {
    audit: { action: 'staff.password-changed', entity: 'staff', entityId: staff.id },
  });
}
