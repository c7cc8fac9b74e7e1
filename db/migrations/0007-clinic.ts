/**
 * One clinic, many desks (issue 13). Additive only.
 *
 * - `remote_booking`: the slots other desks of the organization booked, as pulled from the central server (its
 *   confirmed bookings), so the free-slot search never offers a slot another desk holds. A cancelled or moved
 *   booking arrives as a deletion and frees the slot.
 * - `timetable_exception.uid`: a key every desk agrees on (local ids differ from desk to desk), so an exception
 *   entered on one desk can be removed on another.
 */
export const sql = /* sql */ `
CREATE TABLE remote_booking (
  booking_id     TEXT PRIMARY KEY,
  doctor         TEXT NOT NULL,
  slot_start     TEXT NOT NULL,
  slot_ms        INTEGER NOT NULL,
  workstation_id TEXT,
  confirmed_at   TEXT
) STRICT;
CREATE INDEX remote_booking_slot ON remote_booking (slot_ms, doctor);

ALTER TABLE timetable_exception ADD COLUMN uid TEXT;
UPDATE timetable_exception SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
CREATE UNIQUE INDEX timetable_exception_uid ON timetable_exception (uid);
`;
