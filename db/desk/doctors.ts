/**
 * Data access of the front desk's doctors (issue 4): the physicians with their room and weekly template. Split
 * out of the former db/desk.ts (issue 12) like the rest of db/desk/, one file per section of electron/services/desk/.
 * Statements are prepared once per connection (db/statements.ts): the slot search runs them on every keystroke.
 */
import type { Db } from '../connection';
import { statementCache } from '../statements';

export interface DoctorRow {
  id: number;
  login: string;
  full_name: string;
  specialty: string;
  room: string | null;
  template: string | null;
}

const doctorStatements = statementCache((db: Db) => {
  const doctor = `SELECT s.id, s.login, s.full_name, s.specialty, t.room, t.template
       FROM staff s LEFT JOIN timetable t ON t.doctor_id = s.id`;
  return {
    doctors: db.prepare(`${doctor} WHERE s.role = 'physician' AND s.disabled = 0 ORDER BY s.specialty, s.full_name`),
    doctor: db.prepare(`${doctor} WHERE s.id = ? AND s.role = 'physician'`),
  };
}).get;

export function listDoctors(db: Db): DoctorRow[] {
  return doctorStatements(db).doctors.all() as DoctorRow[];
}

export function getDoctor(db: Db, id: number): DoctorRow | undefined {
  return doctorStatements(db).doctor.get(id) as DoctorRow | undefined;
}
