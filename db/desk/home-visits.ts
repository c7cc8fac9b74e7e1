/**
 * Data access of the home-visit call register (issue 4): calls, their status and a doctor's day in route order.
 * Split out of the former db/desk.ts (issue 12). Writers are called inside the service's recordChange transaction;
 * nothing here opens its own. Statements are prepared once per connection (db/statements.ts).
 */
import type { Db } from '../connection';
import { statementCache } from '../statements';

export interface NewHomeVisitRow {
  number: string;
  request_id: number;
  channel: 'desk' | 'phone' | 'portal';
  person_iin: string;
  address: string;
  phone: string | null;
  complaint: string;
  caller: 'self' | 'relative' | 'other';
  caller_name: string | null;
  district_id: number | null;
  doctor_id: number;
  visit_date: string;
  window_from: string;
  window_to: string;
  late_reason: string | null;
  route_street: number | null;
  route_house: number | null;
  created_at: string;
  created_day: string;
  created_by: number;
}

export function insertHomeVisit(db: Db, row: NewHomeVisitRow): number {
  return Number(visitStatements(db).insert.run(row).lastInsertRowid);
}

export interface HomeVisitRow extends NewHomeVisitRow {
  id: number;
  status: 'registered' | 'visited' | 'cancelled';
  status_reason: string | null;
  status_at: string | null;
  request_number: string;
  surname: string;
  given_name: string;
  patronymic: string | null;
  birth_date: string;
  doctor_name: string;
  specialty: string;
  district_number: string | null;
  /** The registrar's full name (as printed on the talon and in the journals). */
  registrar: string;
}

/** The call with its request, person, doctor and district (also read by db/desk/journals.ts). */
export const VISIT_SELECT = `SELECT v.*, r.number AS request_number, p.surname, p.given_name, p.patronymic, p.birth_date,
    d.full_name AS doctor_name, d.specialty, ds.number AS district_number, c.full_name AS registrar
  FROM home_visit v
  JOIN service_request r ON r.id = v.request_id
  JOIN person p ON p.iin = v.person_iin
  JOIN staff d ON d.id = v.doctor_id
  JOIN staff c ON c.id = v.created_by
  LEFT JOIN district ds ON ds.id = v.district_id`;

const visitStatements = statementCache((db: Db) => ({
  insert: db.prepare(
    `INSERT INTO home_visit (number, request_id, channel, person_iin, address, phone, complaint, caller, caller_name, district_id, doctor_id,
                             visit_date, window_from, window_to, late_reason, route_street, route_house, created_at, created_day, created_by)
     VALUES (@number, @request_id, @channel, @person_iin, @address, @phone, @complaint, @caller, @caller_name, @district_id, @doctor_id,
             @visit_date, @window_from, @window_to, @late_reason, @route_street, @route_house, @created_at, @created_day, @created_by)`,
  ),
  byId: db.prepare(`${VISIT_SELECT} WHERE v.id = ?`),
  setStatus: db.prepare(
    `UPDATE home_visit SET status = ?, status_reason = ?, status_at = ?, status_by = ? WHERE id = ? AND status = 'registered'`,
  ),
  doctorDay: db.prepare(
    `${VISIT_SELECT} WHERE v.doctor_id = ? AND v.visit_date = ? AND v.status <> 'cancelled'
     ORDER BY v.route_street IS NULL, v.route_street, v.route_house IS NULL, v.route_house, v.address, v.window_from`,
  ),
  openOfPerson: db.prepare(
    `${VISIT_SELECT} WHERE v.person_iin = ? AND v.status = 'registered' AND v.visit_date >= ? ORDER BY v.visit_date`,
  ),
})).get;

export function getHomeVisitRow(db: Db, id: number): HomeVisitRow | undefined {
  return visitStatements(db).byId.get(id) as HomeVisitRow | undefined;
}

export function setHomeVisitStatus(
  db: Db,
  id: number,
  status: 'visited' | 'cancelled',
  reason: string | null,
  at: Date,
  by: number,
): boolean {
  return visitStatements(db).setStatus.run(status, reason, at.toISOString(), by, id).changes === 1;
}

/** A doctor's calls of one day in route order: the district's streets in walking order, then house numbers. */
export function doctorDayVisits(db: Db, doctorId: number, date: string): HomeVisitRow[] {
  return visitStatements(db).doctorDay.all(doctorId, date) as HomeVisitRow[];
}

export function personOpenVisits(db: Db, iin: string, fromDate: string): HomeVisitRow[] {
  return visitStatements(db).openOfPerson.all(iin, fromDate) as HomeVisitRow[];
}
