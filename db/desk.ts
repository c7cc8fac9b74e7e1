/**
 * Data access of the front desk (issue 4): districts, timetables, the home-visit call register, appointments and
 * attachments. Writers are called inside the service's recordChange transaction; nothing here opens its own.
 */
import type { Db } from './connection';
import { statementCache } from './statements';

// Each section prepares its statements once per connection (db/statements.ts): the slot search runs them on every
// keystroke.

// ---------------------------------------------------------------------------------------------------------------
// Doctors and districts

export interface DoctorRow {
  id: number;
  login: string;
  full_name: string;
  specialty: string;
  room: string | null;
  template: string | null;
}

export interface DistrictRow {
  id: number;
  number: string;
  name: string;
  therapist_id: number | null;
  therapist_name: string | null;
  paediatrician_id: number | null;
  paediatrician_name: string | null;
  gp_id: number | null;
  gp_name: string | null;
  attached: number;
}

const DISTRICT_SELECT = `SELECT d.id, d.number, d.name,
    d.therapist_id, th.full_name AS therapist_name,
    d.paediatrician_id, pd.full_name AS paediatrician_name,
    d.gp_id, gp.full_name AS gp_name,
    (SELECT count(*) FROM attachment a WHERE a.district_id = d.id AND a.status = 'active') AS attached
  FROM district d
  LEFT JOIN staff th ON th.id = d.therapist_id
  LEFT JOIN staff pd ON pd.id = d.paediatrician_id
  LEFT JOIN staff gp ON gp.id = d.gp_id`;

const districtStatements = statementCache((db: Db) => {
  const doctor = `SELECT s.id, s.login, s.full_name, s.specialty, t.room, t.template
       FROM staff s LEFT JOIN timetable t ON t.doctor_id = s.id`;
  return {
    doctors: db.prepare(`${doctor} WHERE s.role = 'physician' AND s.disabled = 0 ORDER BY s.specialty, s.full_name`),
    doctor: db.prepare(`${doctor} WHERE s.id = ? AND s.role = 'physician'`),
    districts: db.prepare(`${DISTRICT_SELECT} ORDER BY length(d.number), d.number`),
    district: db.prepare(`${DISTRICT_SELECT} WHERE d.id = ?`),
    allAddresses: db.prepare(`SELECT * FROM district_address ORDER BY district_id, position`),
    addressesOf: db.prepare(`SELECT * FROM district_address WHERE district_id = ? ORDER BY position`),
    addressesByStreet: db.prepare(`SELECT * FROM district_address WHERE street_key = ? ORDER BY district_id, position`),
    insertDistrict: db.prepare(
      `INSERT INTO district (number, name, therapist_id, paediatrician_id, gp_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    updateDistrict: db.prepare(
      `UPDATE district SET number = ?, name = ?, therapist_id = ?, paediatrician_id = ?, gp_id = ?, updated_at = ? WHERE id = ?`,
    ),
    deleteAddresses: db.prepare(`DELETE FROM district_address WHERE district_id = ?`),
    insertAddress: db.prepare(
      `INSERT INTO district_address (district_id, position, street, street_key, house_from, house_to, parity) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    numberTaken: db.prepare(`SELECT 1 FROM district WHERE number = ? AND id IS NOT ?`),
  };
}).get;

export function listDoctors(db: Db): DoctorRow[] {
  return districtStatements(db).doctors.all() as DoctorRow[];
}

export function getDoctor(db: Db, id: number): DoctorRow | undefined {
  return districtStatements(db).doctor.get(id) as DoctorRow | undefined;
}

export function listDistricts(db: Db): DistrictRow[] {
  return districtStatements(db).districts.all() as DistrictRow[];
}

export function getDistrictRow(db: Db, id: number): DistrictRow | undefined {
  return districtStatements(db).district.get(id) as DistrictRow | undefined;
}

export interface DistrictAddressRow {
  id: number;
  district_id: number;
  position: number;
  street: string;
  street_key: string;
  house_from: number | null;
  house_to: number | null;
  parity: 'all' | 'odd' | 'even';
}

export function listDistrictAddresses(db: Db, districtId?: number): DistrictAddressRow[] {
  const s = districtStatements(db);
  return (districtId === undefined ? s.allAddresses.all() : s.addressesOf.all(districtId)) as DistrictAddressRow[];
}

export function addressesByStreetKey(db: Db, key: string): DistrictAddressRow[] {
  return districtStatements(db).addressesByStreet.all(key) as DistrictAddressRow[];
}

export interface DistrictInput {
  id: number | null;
  number: string;
  name: string;
  therapistId: number | null;
  paediatricianId: number | null;
  gpId: number | null;
  addresses: Array<{ street: string; streetKey: string; houseFrom: number | null; houseTo: number | null; parity: 'all' | 'odd' | 'even' }>;
}

/** Creates or replaces a district and its address rules (configuration, not a journal: rules are replaced). */
export function saveDistrictRow(db: Db, d: DistrictInput, at: Date): number {
  const s = districtStatements(db);
  let id = d.id;
  if (id === null) {
    id = Number(s.insertDistrict.run(d.number, d.name, d.therapistId, d.paediatricianId, d.gpId, at.toISOString()).lastInsertRowid);
  } else {
    s.updateDistrict.run(d.number, d.name, d.therapistId, d.paediatricianId, d.gpId, at.toISOString(), id);
    s.deleteAddresses.run(id);
  }
  d.addresses.forEach((a, i) => s.insertAddress.run(id, i + 1, a.street, a.streetKey, a.houseFrom, a.houseTo, a.parity));
  return id;
}

export function districtNumberTaken(db: Db, number: string, exceptId: number | null): boolean {
  return !!districtStatements(db).numberTaken.get(number, exceptId);
}

// ---------------------------------------------------------------------------------------------------------------
// Timetables

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
    `SELECT id, doctor_id, kind, date_from, date_to, start_time, end_time, note FROM timetable_exception
      WHERE removed_at IS NULL AND date_to >= @from AND date_from <= @to AND (@doctor IS NULL OR doctor_id = @doctor)
      ORDER BY date_from, id`,
  ),
  insertException: db.prepare(
    `INSERT INTO timetable_exception (doctor_id, kind, date_from, date_to, start_time, end_time, note, created_at, created_by)
     VALUES (@doctor_id, @kind, @date_from, @date_to, @start_time, @end_time, @note, @at, @by)`,
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
}

/** Exceptions in force that overlap local dates from..to; all doctors when doctorId is null. */
export function listExceptions(db: Db, doctorId: number | null, from: string, to: string): ExceptionRow[] {
  return timetableStatements(db).exceptions.all({ doctor: doctorId, from, to }) as ExceptionRow[];
}

export function insertException(db: Db, e: Omit<ExceptionRow, 'id'>, at: Date, by: number | null): number {
  return Number(timetableStatements(db).insertException.run({ ...e, at: at.toISOString(), by }).lastInsertRowid);
}

export function getException(db: Db, id: number): (ExceptionRow & { removed_at: string | null }) | undefined {
  return timetableStatements(db).exception.get(id) as (ExceptionRow & { removed_at: string | null }) | undefined;
}

export function removeException(db: Db, id: number, at: Date): boolean {
  return timetableStatements(db).removeException.run(at.toISOString(), id).changes === 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Appointments

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
  return (doctorId === null ? s.packedAll.all(fromMs, toMs) : s.packedOf.all(doctorId, fromMs, toMs)) as number[];
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
  registrar: string;
}

const APPOINTMENT_SELECT = `SELECT a.*, r.number AS request_number, p.surname, p.given_name, p.patronymic, p.birth_date, p.phone,
    d.full_name AS doctor_name, d.login AS doctor_login, d.specialty, t.room, b.status AS sync, c.login AS registrar
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
  return {
    bookedAll: db.prepare(`${booked} WHERE a.status = 'booked' AND a.slot_ms >= ? AND a.slot_ms < ?`),
    bookedOf: db.prepare(`${booked} WHERE a.doctor_id = ? AND a.status = 'booked' AND a.slot_ms >= ? AND a.slot_ms < ?`),
    packedAll: db.prepare(`${packed} WHERE status = 'booked' AND slot_ms >= ? AND slot_ms < ?`).pluck(true),
    packedOf: db.prepare(`${packed} WHERE doctor_id = ? AND status = 'booked' AND slot_ms >= ? AND slot_ms < ?`).pluck(true),
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

// ---------------------------------------------------------------------------------------------------------------
// Home visits

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
  registrar: string;
}

const VISIT_SELECT = `SELECT v.*, r.number AS request_number, p.surname, p.given_name, p.patronymic, p.birth_date,
    d.full_name AS doctor_name, d.specialty, ds.number AS district_number, c.login AS registrar
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

// ---------------------------------------------------------------------------------------------------------------
// Attachments

export interface NewAttachmentRow {
  talon_number: string;
  request_id: number;
  person_iin: string;
  district_id: number;
  doctor_id: number | null;
  district_by_hand: 0 | 1;
  documents: string;
  previous_org: string | null;
  verification: string;
  attached_at: string;
  attached_day: string;
  created_by: number;
}

export function insertAttachment(db: Db, row: NewAttachmentRow): number {
  return Number(attachmentStatements(db).insert.run(row).lastInsertRowid);
}

export interface AttachmentRow extends NewAttachmentRow {
  id: number;
  status: 'active' | 'ended';
  request_number: string;
  surname: string;
  given_name: string;
  patronymic: string | null;
  birth_date: string;
  address: string | null;
  phone: string | null;
  district_number: string;
  district_name: string;
  doctor_name: string | null;
  specialty: string | null;
  registrar: string;
}

const ATTACHMENT_SELECT = `SELECT a.*, r.number AS request_number, p.surname, p.given_name, p.patronymic, p.birth_date, p.address, p.phone,
    ds.number AS district_number, ds.name AS district_name, d.full_name AS doctor_name, d.specialty, c.login AS registrar
  FROM attachment a
  JOIN service_request r ON r.id = a.request_id
  JOIN person p ON p.iin = a.person_iin
  JOIN district ds ON ds.id = a.district_id
  LEFT JOIN staff d ON d.id = a.doctor_id
  JOIN staff c ON c.id = a.created_by`;

const attachmentStatements = statementCache((db: Db) => ({
  insert: db.prepare(
    `INSERT INTO attachment (talon_number, request_id, person_iin, district_id, doctor_id, district_by_hand, documents, previous_org,
                             verification, attached_at, attached_day, created_by)
     VALUES (@talon_number, @request_id, @person_iin, @district_id, @doctor_id, @district_by_hand, @documents, @previous_org,
             @verification, @attached_at, @attached_day, @created_by)`,
  ),
  byId: db.prepare(`${ATTACHMENT_SELECT} WHERE a.id = ?`),
  activeOf: db.prepare(`${ATTACHMENT_SELECT} WHERE a.person_iin = ? AND a.status = 'active'`),
})).get;

export function getAttachmentRow(db: Db, id: number): AttachmentRow | undefined {
  return attachmentStatements(db).byId.get(id) as AttachmentRow | undefined;
}

export function activeAttachmentOf(db: Db, iin: string): AttachmentRow | undefined {
  return attachmentStatements(db).activeOf.get(iin) as AttachmentRow | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Journals: entries made on local dates from..to, newest first, with a search over number, IIN and surname key.

export interface JournalFilter {
  from: string;
  to: string;
  /** IIN prefix, number fragment or folded surname prefix. */
  text: string;
  surnameKey: string;
  status: string | null;
  doctorId: number | null;
  districtId: number | null;
  limit: number;
}

const SEARCH = (alias: string, numberCol: string) =>
  `(@text = '' OR ${alias}.person_iin LIKE @text || '%' OR ${numberCol} LIKE '%' || @text || '%' OR (@skey <> '' AND p.surname_key LIKE @skey || '%'))`;

function filterArgs(f: JournalFilter) {
  return {
    from: f.from,
    to: f.to,
    text: f.text,
    skey: f.surnameKey,
    status: f.status,
    doctor: f.doctorId,
    district: f.districtId,
    limit: f.limit,
  };
}

const journalStatements = statementCache((db: Db) => ({
  homeVisits: db.prepare(
    `${VISIT_SELECT} WHERE v.created_day BETWEEN @from AND @to AND ${SEARCH('v', 'v.number')}
       AND (@status IS NULL OR v.status = @status) AND (@doctor IS NULL OR v.doctor_id = @doctor) AND (@district IS NULL OR v.district_id = @district)
     ORDER BY v.id LIMIT @limit`,
  ),
  appointments: db.prepare(
    `${APPOINTMENT_SELECT} WHERE a.created_day BETWEEN @from AND @to AND ${SEARCH('a', 'a.number')}
       AND (@status IS NULL OR a.status = @status) AND (@doctor IS NULL OR a.doctor_id = @doctor)
       AND (@district IS NULL OR a.doctor_id IN (SELECT therapist_id FROM district WHERE id = @district UNION SELECT paediatrician_id FROM district WHERE id = @district UNION SELECT gp_id FROM district WHERE id = @district))
     ORDER BY a.id LIMIT @limit`,
  ),
  attachments: db.prepare(
    `${ATTACHMENT_SELECT} WHERE a.attached_day BETWEEN @from AND @to AND ${SEARCH('a', 'a.talon_number')}
       AND (@status IS NULL OR a.status = @status) AND (@doctor IS NULL OR a.doctor_id = @doctor) AND (@district IS NULL OR a.district_id = @district)
     ORDER BY a.id LIMIT @limit`,
  ),
})).get;

export function journalHomeVisits(db: Db, f: JournalFilter): HomeVisitRow[] {
  return journalStatements(db).homeVisits.all(filterArgs(f)) as HomeVisitRow[];
}

export function journalAppointments(db: Db, f: JournalFilter): AppointmentRow[] {
  return journalStatements(db).appointments.all(filterArgs(f)) as AppointmentRow[];
}

export function journalAttachments(db: Db, f: JournalFilter): AttachmentRow[] {
  return journalStatements(db).attachments.all(filterArgs(f)) as AttachmentRow[];
}
