/**
 * Data access of the doctors' timetables (issue 4): weekly templates with rooms, and exceptions (leave, sick leave,
 * extra hours) over local dates. Split out of the former db/desk.ts (issue 12). Writers are called inside the
 * service's recordChange transaction; nothing here opens its own. Statements are prepared once per connection
 * (db/statements.ts): the slot search runs them on every keystroke.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../connection';
import { statementCache } from '../statements';

export interface TimetableRow {
  doctor_id: number;
  template: string;
  room: string | null;
}

const timetableStatements = statementCache((db: Db) => ({
  timetables: db.prepare(`SELECT doctor_id, template, room FROM timetable`),
  saveTimetable: db.prepare(
    `INSERT INTO timetable (doctor_id, template, room, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (doctor_id) DO UPDATE SET template = excluded.template, room = excluded.room, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ),
  exceptions: db.prepare(
    `SELECT id, doctor_id, kind, date_from, date_to, start_time, end_time, note, uid FROM timetable_exception
      WHERE removed_at IS NULL AND date_to >= @from AND date_from <= @to AND (@doctor IS NULL OR doctor_id = @doctor)
      ORDER BY date_from, id`,
  ),
  insertException: db.prepare(
    `INSERT INTO timetable_exception (doctor_id, kind, date_from, date_to, start_time, end_time, note, created_at, created_by, uid)
     VALUES (@doctor_id, @kind, @date_from, @date_to, @start_time, @end_time, @note, @at, @by, @uid)`,
  ),
  exception: db.prepare(`SELECT * FROM timetable_exception WHERE id = ?`),
  removeException: db.prepare(`UPDATE timetable_exception SET removed_at = ? WHERE id = ? AND removed_at IS NULL`),
})).get;

export function listTimetables(db: Db): TimetableRow[] {
  return timetableStatements(db).timetables.all() as TimetableRow[];
}

export function saveTimetableRow(db: Db, doctorId: number, template: string, room: string | null, at: Date, by: number | null): void {
  timetableStatements(db).saveTimetable.run(doctorId, template, room, at.toISOString(), by);
}

export interface ExceptionRow {
  id: number;
  doctor_id: number;
  kind: 'leave' | 'sick' | 'extra';
  date_from: string;
  date_to: string;
  start_time: string | null;
  end_time: string | null;
  note: string | null;
  uid: string | null;
}

/** Exceptions in force that overlap local dates from..to; all doctors when doctorId is null. */
export function listExceptions(db: Db, doctorId: number | null, from: string, to: string): ExceptionRow[] {
  return timetableStatements(db).exceptions.all({ doctor: doctorId, from, to }) as ExceptionRow[];
}

/** `uid` is the exception's key on every desk of the organization (local ids differ from desk to desk). */
export function insertException(db: Db, e: Omit<ExceptionRow, 'id' | 'uid'>, at: Date, by: number | null): { id: number; uid: string } {
  const uid = randomUUID();
  const id = Number(timetableStatements(db).insertException.run({ ...e, at: at.toISOString(), by, uid }).lastInsertRowid);
  return { id, uid };
}

export function getException(db: Db, id: number): (ExceptionRow & { removed_at: string | null }) | undefined {
  return timetableStatements(db).exception.get(id) as (ExceptionRow & { removed_at: string | null }) | undefined;
}

export function removeException(db: Db, id: number, at: Date): boolean {
  return timetableStatements(db).removeException.run(at.toISOString(), id).changes === 1;
}
