/**
 * Data access of appointments (issue 4): the booked slots behind the free-slot search, booking, cancelling and
 * rescheduling, a doctor's and a person's appointments. Split out of the former db/desk.ts (issue 12). Writers are
 * called inside the service's recordChange transaction; nothing here opens its own. Statements are prepared once per
 * connection (db/statements.ts): the slot search runs them on every keystroke.
 */
import type { Db } from '../connection';
import { statementCache } from '../statements';

export interface BookedSlotRow {
  id: number;
  doctor_id: number;
  slot_ms: number;
  kind: 'appointment' | 'walk-in';
  person_name: string;
}

/** Booked slots of doctors (null = all) in [fromMs, toMs): the one index range scan behind every slot search. */
export function bookedSlots(db: Db, doctorId: number | null, fromMs: number, toMs: number): BookedSlotRow[] {
  const s = appointmentStatements(db);
  return (doctorId === null ? s.bookedAll.all(fromMs, toMs) : s.bookedOf.all(doctorId, fromMs, toMs)) as BookedSlotRow[];
}

/**
 * Booked slots in [fromMs, toMs) packed as one number each, minute × 100000 + doctor id (slots start on whole
 * minutes; ids stay below 100000): the free-slot search reads thousands of them per keystroke, and a flat array of
 * numbers from a covering index costs a fraction of row objects.
 */
export function bookedPacked(db: Db, doctorId: number | null, fromMs: number, toMs: number): number[] {
  const s = appointmentStatements(db);
  return (
    doctorId === null ? s.packedAll.all({ from: fromMs, to: toMs }) : s.packedOf.all({ doctor: doctorId, from: fromMs, to: toMs })
  ) as number[];
}

/**
 * Appointments this registrar made whose slot the server gave to another desk (the booking lost): still booked
 * here, so the patient is expected, but the slot is someone else's. The registrar moves them and calls the patient.
 */
export function lostAppointmentsOf(db: Db, staffId: number, fromMs: number): AppointmentRow[] {
  return appointmentStatements(db).lostBy.all(staffId, fromMs) as AppointmentRow[];
}

/** Another desk's confirmed booking of this doctor's slot, if the server has told this desk of one. */
export function remoteBookingAt(
  db: Db,
  doctorId: number,
  slotMs: number,
): { booking_id: string; workstation_id: string | null } | undefined {
  return appointmentStatements(db).remoteHolder.get(doctorId, slotMs) as { booking_id: string; workstation_id: string | null } | undefined;
}

export interface NewAppointmentRow {
  number: string;
  request_id: number;
  kind: 'appointment' | 'walk-in';
  channel: 'desk' | 'phone' | 'portal';
  person_iin: string;
  doctor_id: number;
  slot_start: string;
  slot_ms: number;
  slot_end_ms: number;
  slot_date: string;
  sync_booking: string | null;
  note: string | null;
  created_at: string;
  created_day: string;
  created_by: number;
}

/** Throws SQLITE_CONSTRAINT_UNIQUE when the slot is booked already (appointment_one_per_slot). */
export function insertAppointment(db: Db, row: NewAppointmentRow): number {
  return Number(appointmentStatements(db).insert.run(row).lastInsertRowid);
}

export interface AppointmentRow extends NewAppointmentRow {
  id: number;
  status: 'booked' | 'cancelled' | 'rescheduled';
  reason: string | null;
  rescheduled_to: number | null;
  request_number: string;
  surname: string;
  given_name: string;
  patronymic: string | null;
  birth_date: string;
  phone: string | null;
  doctor_name: string;
  doctor_login: string;
  specialty: string;
  room: string | null;
  sync: 'provisional' | 'confirmed' | 'conflict' | null;
  /** The registrar's full name (as printed on the talon and in the journals). */
  registrar: string;
}

/** The appointment with its request, person, doctor and sync state (also read by db/desk/journals.ts). */
export const APPOINTMENT_SELECT = `SELECT a.*, r.number AS request_number, p.surname, p.given_name, p.patronymic, p.birth_date, p.phone,
    d.full_name AS doctor_name, d.login AS doctor_login, d.specialty, t.room, b.status AS sync, c.full_name AS registrar
  FROM appointment a
  JOIN service_request r ON r.id = a.request_id
  JOIN person p ON p.iin = a.person_iin
  JOIN staff d ON d.id = a.doctor_id
  JOIN staff c ON c.id = a.created_by
  LEFT JOIN timetable t ON t.doctor_id = a.doctor_id
  LEFT JOIN booking b ON b.booking_id = a.sync_booking`;

const appointmentStatements = statementCache((db: Db) => {
  const booked = `SELECT a.id, a.doctor_id, a.slot_ms, a.kind, p.surname || ' ' || p.given_name AS person_name
             FROM appointment a JOIN person p ON p.iin = a.person_iin`;
  const packed = `SELECT (slot_ms / 60000) * 100000 + doctor_id FROM appointment`;
  // Other desks' bookings the server confirmed (issue 13): a slot they hold is as taken as one booked here.
  const remotePacked = `SELECT (r.slot_ms / 60000) * 100000 + s.id FROM remote_booking r JOIN staff s ON s.login = r.doctor`;
  return {
    bookedAll: db.prepare(`${booked} WHERE a.status = 'booked' AND a.slot_ms >= ? AND a.slot_ms < ?`),
    bookedOf: db.prepare(`${booked} WHERE a.doctor_id = ? AND a.status = 'booked' AND a.slot_ms >= ? AND a.slot_ms < ?`),
    packedAll: db
      .prepare(
        `${packed} WHERE status = 'booked' AND slot_ms >= @from AND slot_ms < @to
         UNION ALL ${remotePacked} WHERE r.slot_ms >= @from AND r.slot_ms < @to`,
      )
      .pluck(true),
    packedOf: db
      .prepare(
        `${packed} WHERE doctor_id = @doctor AND status = 'booked' AND slot_ms >= @from AND slot_ms < @to
         UNION ALL ${remotePacked} WHERE s.id = @doctor AND r.slot_ms >= @from AND r.slot_ms < @to`,
      )
      .pluck(true),
    lostBy: db.prepare(
      `${APPOINTMENT_SELECT} WHERE a.status = 'booked' AND b.status = 'conflict' AND a.created_by = ? AND a.slot_ms >= ? ORDER BY a.slot_ms LIMIT 50`,
    ),
    remoteHolder: db.prepare(
      `SELECT r.booking_id, r.workstation_id FROM remote_booking r JOIN staff s ON s.login = r.doctor WHERE s.id = ? AND r.slot_ms = ?`,
    ),
    insert: db.prepare(
      `INSERT INTO appointment (number, request_id, kind, channel, person_iin, doctor_id, slot_start, slot_ms, slot_end_ms, slot_date,
                                sync_booking, note, created_at, created_day, created_by)
       VALUES (@number, @request_id, @kind, @channel, @person_iin, @doctor_id, @slot_start, @slot_ms, @slot_end_ms, @slot_date,
               @sync_booking, @note, @created_at, @created_day, @created_by)`,
    ),
    byId: db.prepare(`${APPOINTMENT_SELECT} WHERE a.id = ?`),
    close: db.prepare(
      `UPDATE appointment SET status = ?, reason = ?, closed_at = ?, closed_by = ?, rescheduled_to = ? WHERE id = ? AND status = 'booked'`,
    ),
    ofDoctorBetween: db.prepare(
      `${APPOINTMENT_SELECT} WHERE a.doctor_id = ? AND a.status = 'booked' AND a.slot_ms >= ? AND a.slot_ms < ? ORDER BY a.slot_ms`,
    ),
    upcomingOfPerson: db.prepare(
      `${APPOINTMENT_SELECT} WHERE a.person_iin = ? AND a.status = 'booked' AND a.slot_ms >= ? ORDER BY a.slot_ms LIMIT 20`,
    ),
  };
}).get;

export function getAppointmentRow(db: Db, id: number): AppointmentRow | undefined {
  return appointmentStatements(db).byId.get(id) as AppointmentRow | undefined;
}

export function closeAppointmentRow(
  db: Db,
  id: number,
  status: 'cancelled' | 'rescheduled',
  reason: string,
  at: Date,
  by: number,
  rescheduledTo: number | null,
): boolean {
  return appointmentStatements(db).close.run(status, reason, at.toISOString(), by, rescheduledTo, id).changes === 1;
}

/** Booked appointments of a doctor in [fromMs, toMs) (the patients to call back when a leave is entered). */
export function doctorAppointmentsBetween(db: Db, doctorId: number, fromMs: number, toMs: number): AppointmentRow[] {
  return appointmentStatements(db).ofDoctorBetween.all(doctorId, fromMs, toMs) as AppointmentRow[];
}

export function personUpcomingAppointments(db: Db, iin: string, fromMs: number): AppointmentRow[] {
  return appointmentStatements(db).upcomingOfPerson.all(iin, fromMs) as AppointmentRow[];
}
