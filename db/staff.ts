/** Data access for staff accounts. Password hashes never leave this module and the auth service. */
import type { Language, Role, Specialty } from '../common/roles';
import type { Staff } from '../common/schemas';
import type { Db } from './connection';
import { statementCache } from './statements';

export interface StaffRow {
  id: number;
  login: string;
  full_name: string;
  iin: string | null;
  role: Role;
  specialty: Specialty | null;
  password_hash: string;
  language: Language;
  disabled: number;
  failed_attempts: number;
  locked_until: string | null;
  must_change_password: number;
}

export function toStaff(r: StaffRow, now: Date): Staff {
  return {
    id: r.id,
    login: r.login,
    fullName: r.full_name,
    iin: r.iin,
    role: r.role,
    specialty: r.specialty,
    language: r.language,
    disabled: r.disabled === 1,
    locked: r.locked_until !== null && r.locked_until > now.toISOString(),
    mustChangePassword: r.must_change_password === 1,
  };
}

// Every API call looks up its caller: prepared once per connection.
const statements = statementCache((db: Db) => ({
  byLogin: db.prepare('SELECT * FROM staff WHERE login = ?'),
  byId: db.prepare('SELECT * FROM staff WHERE id = ?'),
}));

export function findStaffByLogin(db: Db, login: string): StaffRow | undefined {
  return statements.get(db).byLogin.get(login) as StaffRow | undefined;
}

export function getStaff(db: Db, id: number): StaffRow | undefined {
  return statements.get(db).byId.get(id) as StaffRow | undefined;
}

export function listStaff(db: Db): StaffRow[] {
  return db.prepare('SELECT * FROM staff ORDER BY role, full_name').all() as StaffRow[];
}

export interface NewStaffRow {
  login: string;
  fullName: string;
  iin: string | null;
  role: Role;
  specialty: Specialty | null;
  passwordHash: string;
  language: Language;
  mustChangePassword: boolean;
}

export function insertStaff(db: Db, s: NewStaffRow, at: Date): number {
  const now = at.toISOString();
  return Number(
    db
      .prepare(
        `INSERT INTO staff (login, full_name, iin, role, specialty, password_hash, language, must_change_password, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(s.login, s.fullName, s.iin, s.role, s.specialty, s.passwordHash, s.language, s.mustChangePassword ? 1 : 0, now, now)
      .lastInsertRowid,
  );
}

export function recordLoginFailure(db: Db, id: number, lockedUntil: string | null, at: Date): void {
  db.prepare(
    'UPDATE staff SET failed_attempts = failed_attempts + 1, locked_until = coalesce(?, locked_until), updated_at = ? WHERE id = ?',
  ).run(lockedUntil, at.toISOString(), id);
}

export function recordLoginSuccess(db: Db, id: number, at: Date): void {
  db.prepare('UPDATE staff SET failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?').run(at.toISOString(), id);
}

export function setStaffPassword(db: Db, id: number, hash: string, mustChange: boolean, at: Date): void {
  db.prepare(
    `UPDATE staff SET password_hash = ?, must_change_password = ?, failed_attempts = 0, locked_until = NULL, updated_at = ?
     WHERE id = ?`,
  ).run(hash, mustChange ? 1 : 0, at.toISOString(), id);
}

export function setStaffDisabled(db: Db, id: number, disabled: boolean, at: Date): void {
  db.prepare('UPDATE staff SET disabled = ?, updated_at = ? WHERE id = ?').run(disabled ? 1 : 0, at.toISOString(), id);
}

export function setStaffLanguage(db: Db, id: number, language: Language, at: Date): void {
  db.prepare('UPDATE staff SET language = ?, updated_at = ? WHERE id = ?').run(language, at.toISOString(), id);
}

export function countStaff(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM staff').get() as { n: number }).n;
}
