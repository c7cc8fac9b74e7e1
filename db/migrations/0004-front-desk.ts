/**
 * The front desk (issue 4): districts and their addresses, doctors' timetables and exceptions, the home-visit call
 * register, appointments (the pre-registration journal) and attachments with their talons. Additive only.
 *
 * - No double booking is a database rule: a partial UNIQUE index allows one `booked` appointment per doctor and
 *   slot start, whichever desk (or connection) writes it first; the loser's INSERT fails and nothing of it is saved.
 * - One active attachment per person: a partial UNIQUE index on the person for `active` rows.
 * - Journal rows are never deleted (triggers); a status change is the only update, and a closed row is final.
 * - Every row refers to the service request the step engine ran for it (deadlines, the survey).
 */
export const sql = /* sql */ `
CREATE TABLE district (
  id               INTEGER PRIMARY KEY,
  number           TEXT NOT NULL UNIQUE,
  name             TEXT NOT NULL,
  therapist_id     INTEGER REFERENCES staff(id),
  paediatrician_id INTEGER REFERENCES staff(id),
  gp_id            INTEGER REFERENCES staff(id),
  updated_at       TEXT NOT NULL
) STRICT;

-- The streets (or parts of streets) of a district, in walking order (position): the doctor's route follows it.
CREATE TABLE district_address (
  id          INTEGER PRIMARY KEY,
  district_id INTEGER NOT NULL REFERENCES district(id),
  position    INTEGER NOT NULL,
  street      TEXT NOT NULL,
  street_key  TEXT NOT NULL,
  house_from  INTEGER,
  house_to    INTEGER,
  parity      TEXT NOT NULL DEFAULT 'all' CHECK (parity IN ('all','odd','even'))
) STRICT;
CREATE INDEX district_address_street ON district_address (street_key);
CREATE INDEX district_address_district ON district_address (district_id, position);

-- A doctor's weekly template (JSON, common/desk.ts timetableTemplateSchema) and the room they receive in.
CREATE TABLE timetable (
  doctor_id  INTEGER PRIMARY KEY REFERENCES staff(id),
  template   TEXT NOT NULL,
  room       TEXT,
  updated_at TEXT NOT NULL,
  updated_by INTEGER REFERENCES staff(id)
) STRICT;

-- Leave, sick days (no reception from..to) and extra hours (a reception interval on from..to). Removed ones stay.
CREATE TABLE timetable_exception (
  id         INTEGER PRIMARY KEY,
  doctor_id  INTEGER NOT NULL REFERENCES staff(id),
  kind       TEXT NOT NULL CHECK (kind IN ('leave','sick','extra')),
  date_from  TEXT NOT NULL,
  date_to    TEXT NOT NULL,
  start_time TEXT,
  end_time   TEXT,
  note       TEXT,
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES staff(id),
  removed_at TEXT,
  CHECK (date_to >= date_from),
  CHECK ((kind = 'extra') = (start_time IS NOT NULL AND end_time IS NOT NULL))
) STRICT;
CREATE INDEX timetable_exception_doctor ON timetable_exception (doctor_id, date_to) WHERE removed_at IS NULL;

-- The home-visit call register (шақыруларды тіркеу журналы).
CREATE TABLE home_visit (
  id            INTEGER PRIMARY KEY,
  number        TEXT NOT NULL UNIQUE,
  request_id    INTEGER NOT NULL REFERENCES service_request(id),
  channel       TEXT NOT NULL CHECK (channel IN ('desk','phone','portal')),
  person_iin    TEXT NOT NULL REFERENCES person(iin),
  address       TEXT NOT NULL,
  phone         TEXT,
  complaint     TEXT NOT NULL,
  caller        TEXT NOT NULL CHECK (caller IN ('self','relative','other')),
  caller_name   TEXT,
  district_id   INTEGER REFERENCES district(id),
  doctor_id     INTEGER NOT NULL REFERENCES staff(id),
  visit_date    TEXT NOT NULL,
  window_from   TEXT NOT NULL,
  window_to     TEXT NOT NULL,
  late_reason   TEXT,
  route_street  INTEGER,
  route_house   INTEGER,
  status        TEXT NOT NULL DEFAULT 'registered' CHECK (status IN ('registered','visited','cancelled')),
  status_reason TEXT,
  status_at     TEXT,
  status_by     INTEGER REFERENCES staff(id),
  created_at    TEXT NOT NULL,
  created_day   TEXT NOT NULL,
  created_by    INTEGER NOT NULL REFERENCES staff(id),
  CHECK (window_to > window_from),
  CHECK (status <> 'cancelled' OR status_reason IS NOT NULL)
) STRICT;
CREATE INDEX home_visit_doctor_day ON home_visit (doctor_id, visit_date);
CREATE INDEX home_visit_created ON home_visit (created_day);
CREATE TRIGGER home_visit_no_delete BEFORE DELETE ON home_visit
BEGIN SELECT RAISE(ABORT, 'the home-visit call register is append-only'); END;
CREATE TRIGGER home_visit_final BEFORE UPDATE ON home_visit WHEN OLD.status <> 'registered'
BEGIN SELECT RAISE(ABORT, 'a visited or cancelled call cannot change'); END;

-- Appointments: the pre-registration journal (алдын ала жазылу журналы). slot_ms = epoch ms of the slot start.
CREATE TABLE appointment (
  id             INTEGER PRIMARY KEY,
  number         TEXT NOT NULL UNIQUE,
  request_id     INTEGER NOT NULL REFERENCES service_request(id),
  kind           TEXT NOT NULL CHECK (kind IN ('appointment','walk-in')),
  channel        TEXT NOT NULL CHECK (channel IN ('desk','phone','portal')),
  person_iin     TEXT NOT NULL REFERENCES person(iin),
  doctor_id      INTEGER NOT NULL REFERENCES staff(id),
  slot_start     TEXT NOT NULL,
  slot_ms        INTEGER NOT NULL,
  slot_end_ms    INTEGER NOT NULL,
  slot_date      TEXT NOT NULL,
  status         TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked','cancelled','rescheduled')),
  -- The booking sent to the central server (db/sync.ts, table booking: provisional until the server confirms the
  -- slot, then confirmed or conflict — the sync module flips it there).
  sync_booking   TEXT REFERENCES booking(booking_id),
  note           TEXT,
  reason         TEXT,
  rescheduled_to INTEGER REFERENCES appointment(id),
  created_at     TEXT NOT NULL,
  created_day    TEXT NOT NULL,
  created_by     INTEGER NOT NULL REFERENCES staff(id),
  closed_at      TEXT,
  closed_by      INTEGER REFERENCES staff(id),
  CHECK (slot_end_ms > slot_ms),
  CHECK (status = 'booked' OR reason IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX appointment_one_per_slot ON appointment (doctor_id, slot_ms) WHERE status = 'booked';
CREATE INDEX appointment_doctor_slot ON appointment (doctor_id, slot_ms);
CREATE INDEX appointment_booked_slot ON appointment (slot_ms, doctor_id) WHERE status = 'booked';
CREATE INDEX appointment_person ON appointment (person_iin, slot_ms);
CREATE INDEX appointment_created ON appointment (created_day);
CREATE TRIGGER appointment_no_delete BEFORE DELETE ON appointment
BEGIN SELECT RAISE(ABORT, 'the pre-registration journal is append-only'); END;
CREATE TRIGGER appointment_final BEFORE UPDATE OF status, doctor_id, slot_ms, person_iin ON appointment WHEN OLD.status <> 'booked'
BEGIN SELECT RAISE(ABORT, 'a cancelled or rescheduled appointment cannot change'); END;
CREATE TRIGGER appointment_fixed BEFORE UPDATE OF doctor_id, slot_ms, person_iin ON appointment
BEGIN SELECT RAISE(ABORT, 'an appointment keeps its doctor, slot and person: reschedule makes a new one'); END;

-- Attachments to this organization and their talons.
CREATE TABLE attachment (
  id               INTEGER PRIMARY KEY,
  talon_number     TEXT NOT NULL UNIQUE,
  request_id       INTEGER NOT NULL REFERENCES service_request(id),
  person_iin       TEXT NOT NULL REFERENCES person(iin),
  district_id      INTEGER NOT NULL REFERENCES district(id),
  doctor_id        INTEGER REFERENCES staff(id),
  district_by_hand INTEGER NOT NULL CHECK (district_by_hand IN (0,1)),
  documents        TEXT NOT NULL,
  previous_org     TEXT,
  status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','ended')),
  verification     TEXT NOT NULL,
  attached_at      TEXT NOT NULL,
  attached_day     TEXT NOT NULL,
  created_by       INTEGER NOT NULL REFERENCES staff(id),
  ended_at         TEXT,
  end_reason       TEXT,
  CHECK ((status = 'ended') = (ended_at IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX attachment_one_active ON attachment (person_iin) WHERE status = 'active';
CREATE INDEX attachment_day ON attachment (attached_day);
CREATE INDEX attachment_district ON attachment (district_id) WHERE status = 'active';
CREATE TRIGGER attachment_no_delete BEFORE DELETE ON attachment
BEGIN SELECT RAISE(ABORT, 'the attachment journal is append-only'); END;
CREATE TRIGGER attachment_final BEFORE UPDATE ON attachment WHEN OLD.status <> 'active'
BEGIN SELECT RAISE(ABORT, 'an ended attachment cannot change'); END;
`;
