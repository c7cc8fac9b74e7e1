/**
 * What one desk holds, read for the clinic simulation's invariants (issue 13, electron/simulation/): its outbox,
 * every human-facing number it issued, its appointments with their sync state, the other desks' bookings it pulled
 * and the shared state every desk of the organization must agree on. Read-only; nothing here is used by the
 * application itself.
 */
import type { Db } from './connection';

export interface OutboxEntry {
  opId: string;
  kind: string;
  entityId: string;
  status: string;
}

export function outboxEntries(db: Db): OutboxEntry[] {
  return db.prepare(`SELECT op_id AS opId, kind, entity_id AS entityId, status FROM outbox ORDER BY id`).all() as OutboxEntry[];
}

/** Every number printed on paper by this desk: requests, appointments, home-visit calls, talons, shifts, receipts, certificates. */
export function issuedNumbers(db: Db): string[] {
  return db
    .prepare(
      `SELECT number FROM service_request
       UNION ALL SELECT number FROM appointment
       UNION ALL SELECT number FROM home_visit
       UNION ALL SELECT talon_number FROM attachment
       UNION ALL SELECT number FROM cash_shift
       UNION ALL SELECT receipt_no FROM cash_entry
       UNION ALL SELECT number FROM certificate`,
    )
    .pluck(true)
    .all() as string[];
}

export interface DeskAppointment {
  id: number;
  number: string;
  doctor: string;
  slotStart: string;
  slotMs: number;
  status: 'booked' | 'cancelled' | 'rescheduled';
  bookingId: string | null;
  /** The central server's verdict on the booking: provisional until pushed, then confirmed or conflict (lost). */
  sync: 'provisional' | 'confirmed' | 'conflict' | null;
}

export function deskAppointments(db: Db): DeskAppointment[] {
  return db
    .prepare(
      `SELECT a.id, a.number, s.login AS doctor, a.slot_start AS slotStart, a.slot_ms AS slotMs, a.status,
              a.sync_booking AS bookingId, b.status AS sync
         FROM appointment a JOIN staff s ON s.id = a.doctor_id LEFT JOIN booking b ON b.booking_id = a.sync_booking
        ORDER BY a.id`,
    )
    .all() as DeskAppointment[];
}

/** Booked appointments whose slot another desk won on the server: the registrar must offer the patient another one. */
export function lostAppointments(db: Db): Array<{ id: number; personIin: string; doctorId: number }> {
  return db
    .prepare(
      `SELECT a.id, a.person_iin AS personIin, a.doctor_id AS doctorId
         FROM appointment a JOIN booking b ON b.booking_id = a.sync_booking
        WHERE a.status = 'booked' AND b.status = 'conflict' ORDER BY a.id`,
    )
    .all() as Array<{ id: number; personIin: string; doctorId: number }>;
}

export function remoteBookings(db: Db): Array<{ bookingId: string; doctor: string; slotMs: number }> {
  return db.prepare(`SELECT booking_id AS bookingId, doctor, slot_ms AS slotMs FROM remote_booking`).all() as Array<{
    bookingId: string;
    doctor: string;
    slotMs: number;
  }>;
}

/** Staff ids by login (ids differ from desk to desk; logins do not). */
export function staffIds(db: Db): Map<string, number> {
  const rows = db.prepare(`SELECT login, id FROM staff`).all() as Array<{ login: string; id: number }>;
  return new Map(rows.map((r) => [r.login, r.id]));
}

/** Booked appointments (status 'booked') with their doctor, upcoming from `fromMs`. */
export function bookedAppointments(db: Db, fromMs: number): Array<{ id: number; doctorId: number }> {
  return db
    .prepare(`SELECT id, doctor_id AS doctorId FROM appointment WHERE status = 'booked' AND slot_ms >= ? ORDER BY id`)
    .all(fromMs) as Array<{ id: number; doctorId: number }>;
}

/** IINs of people of the population register on this desk, up to `limit`. */
export function registerIins(db: Db, limit: number): string[] {
  return db.prepare(`SELECT iin FROM person WHERE source = 'register' ORDER BY iin LIMIT ?`).pluck(true).all(limit) as string[];
}

/** IINs of people entered by hand on any desk of the organization that this desk knows. */
export function manualPeopleIins(db: Db): string[] {
  return db.prepare(`SELECT iin FROM person WHERE source = 'manual' ORDER BY iin`).pluck(true).all() as string[];
}

/**
 * This desk's registrations of e-requests, by e-request number: `standing` the ones that stand (registered here,
 * not lost to another desk and their request not cancelled), `lost` the ones this desk cancelled because the
 * server gave the request to another desk, `unverified` the standing ones whose signature did not verify here.
 */
export function erequestRegistrations(db: Db): { standing: string[]; lost: string[]; unverified: string[] } {
  const rows = db
    .prepare(
      `SELECT e.number, (l.state IS 'lost' OR r.status IS 'cancelled') AS gone,
              coalesce(json_extract(e.verification, '$.valid'), 0) AS valid
       FROM erequest e
       LEFT JOIN erequest_lease l ON l.number = e.number
       LEFT JOIN service_request r ON r.id = e.request_id
       WHERE e.request_id IS NOT NULL OR e.registered_as IS NOT NULL`,
    )
    .all() as Array<{ number: string; gone: number; valid: number }>;
  const standing = rows.filter((r) => !r.gone);
  return {
    standing: standing.map((r) => r.number),
    lost: rows.filter((r) => r.gone).map((r) => r.number),
    unverified: standing.filter((r) => !r.valid).map((r) => r.number),
  };
}

/**
 * The shared state every desk must agree on, each part as sorted lines of text (so two desks compare with ===):
 * people entered by hand, timetable exceptions in force (by content: exceptions seeded as demo data have a
 * different uid on every desk), price lists, districts with their doctors and streets.
 */
export interface SharedSnapshot {
  manualPeople: string[];
  exceptions: string[];
  prices: string[];
  districts: string[];
}

export function sharedSnapshot(db: Db): SharedSnapshot {
  const lines = (sql: string) => (db.prepare(sql).raw(true).all() as unknown[][]).map((r) => JSON.stringify(r)).sort();
  return {
    manualPeople: lines(`SELECT iin, surname, given_name, patronymic, birth_date, sex, address, phone FROM person WHERE source = 'manual'`),
    exceptions: lines(
      `SELECT s.login, e.kind, e.date_from, e.date_to, e.start_time, e.end_time, e.note
         FROM timetable_exception e JOIN staff s ON s.id = e.doctor_id WHERE e.removed_at IS NULL`,
    ),
    prices: lines(`SELECT service_id, fee_kzt, effective_from, effective_to FROM price_list`),
    districts: lines(
      `SELECT d.number, d.name, t.login, p.login, g.login,
              (SELECT json_group_array(json_array(a.street, a.house_from, a.house_to, a.parity))
                 FROM (SELECT * FROM district_address WHERE district_id = d.id ORDER BY position) a)
         FROM district d LEFT JOIN staff t ON t.id = d.therapist_id LEFT JOIN staff p ON p.id = d.paediatrician_id
              LEFT JOIN staff g ON g.id = d.gp_id`,
    ),
  };
}
