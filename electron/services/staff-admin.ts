/** The administrator's staff screen: create, disable, reset a password. */
import { ApiError } from '../../common/errors';
import type { Role, Specialty } from '../../common/roles';
import type { Staff } from '../../common/schemas';
import type { Actor } from '../../db/audit';
import { recordChange } from '../../db/change';
import {
  findStaffByLogin,
  getStaff,
  insertStaff,
  listStaff,
  setStaffDisabled,
  setStaffPassword,
  toStaff,
  type StaffRow,
} from '../../db/staff';
import type { AppContext } from './app';
import { actorOf } from './auth';
import { hashPassword, temporaryPassword } from './passwords';
import { requireValidIin } from './people';

export interface NewStaff {
  login: string;
  fullName: string;
  iin?: string | null;
  role: Role;
  specialty?: Specialty | null;
}

/** What the centre needs to know of an account: never its password hash. */
const syncPayload = (s: Staff) => ({
  login: s.login,
  fullName: s.fullName,
  iin: s.iin,
  role: s.role,
  specialty: s.specialty,
  disabled: s.disabled,
});

export function list(app: AppContext): Staff[] {
  const now = app.clock();
  return listStaff(app.db).map((r) => toStaff(r, now));
}

export async function create(app: AppContext, admin: StaffRow, input: NewStaff): Promise<{ staff: Staff; temporaryPassword: string }> {
  const login = input.login.toLowerCase();
  if (findStaffByLogin(app.db, login)) throw new ApiError('conflict', 'this login is taken', { login }, ['login']);
  const iin = input.iin ? requireValidIin(input.iin).iin : null;
  if (input.role === 'physician' && !input.specialty) throw new ApiError('validation', 'a physician needs a specialty', {}, ['specialty']);
  const specialty = input.role === 'physician' ? input.specialty! : null;
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  const now = app.clock();
  const id = recordChange(
    app.db,
    actorOf(admin),
    now,
    () =>
      insertStaff(
        app.db,
        {
          login,
          fullName: input.fullName,
          iin,
          role: input.role,
          specialty,
          passwordHash,
          language: admin.language,
          mustChangePassword: true,
        },
        now,
      ),
    {
      audit: (id) => ({ action: 'staff.created', entity: 'staff', entityId: id, details: { login, role: input.role, specialty } }),
      outbox: (id) => ({
        kind: 'staff.upsert',
        entity: 'staff',
        entityId: id,
        payload: { login, fullName: input.fullName, iin, role: input.role, specialty, disabled: false },
      }),
    },
  );
  return { staff: toStaff(getStaff(app.db, id)!, now), temporaryPassword: password };
}

function requireStaff(app: AppContext, id: number): StaffRow {
  const s = getStaff(app.db, id);
  if (!s) throw new ApiError('not-found', 'no such staff account', { id });
  return s;
}

export function setDisabled(app: AppContext, admin: StaffRow, id: number, disabled: boolean): Staff {
  const target = requireStaff(app, id);
  if (target.id === admin.id && disabled) throw new ApiError('validation', 'you cannot disable your own account', {}, ['id']);
  const now = app.clock();
  recordChange(app.db, actorOf(admin), now, () => setStaffDisabled(app.db, id, disabled, now), {
    audit: { action: disabled ? 'staff.disabled' : 'staff.enabled', entity: 'staff', entityId: id },
    outbox: { kind: 'staff.upsert', entity: 'staff', entityId: id, payload: syncPayload({ ...toStaff(target, now), disabled }) },
  });
  return toStaff(getStaff(app.db, id)!, now);
}

/**
 * A new temporary password, to be changed at the next log-in; it also unlocks a locked account. The Staff screen
 * calls it as the administrator, `tirkeu reset-password` as the system (`via: 'cli'` in the audit entry).
 */
export async function resetPassword(
  app: AppContext,
  admin: StaffRow | Actor,
  id: number,
  via?: 'cli',
): Promise<{ staff: Staff; temporaryPassword: string }> {
  requireStaff(app, id);
  const password = temporaryPassword();
  const hash = await hashPassword(password);
  const now = app.clock();
  const actor = 'password_hash' in admin ? actorOf(admin) : admin;
  recordChange(app.db, actor, now, () => setStaffPassword(app.db, id, hash, true, now), {
    audit: { action: 'staff.password-reset', entity: 'staff', entityId: id, ...(via ? { details: { via } } : {}) },
  });
  return { staff: toStaff(getStaff(app.db, id)!, now), temporaryPassword: password };
}
