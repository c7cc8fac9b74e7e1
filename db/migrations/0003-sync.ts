/**
 * Sync with the central server (issue 7): the batch being sent, reference data pulled from the server, the sync
 * issues list, and bookings that stay provisional until the server confirms them. Additive only.
 */
export const sql = /* sql */ `
-- The batch claimed from the outbox and saved before it is sent; after a crash it is sent again as it is.
CREATE TABLE sync_batch (
  batch_id   TEXT PRIMARY KEY,
  claimed_at TEXT NOT NULL,
  ops        INTEGER NOT NULL,
  bytes      INTEGER NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Server receive time of each operation, stamped from the push response.
ALTER TABLE outbox ADD COLUMN received_at TEXT;

-- Reference data handed down by the server (staff, districts, timetables, price list, regulation files, registers,
-- trusted CA certificates and CRLs, other workstations' bookings): the latest payload per kind and key.
CREATE TABLE sync_reference (
  kind       TEXT NOT NULL,
  key        TEXT NOT NULL,
  payload    TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (kind, key)
) STRICT, WITHOUT ROWID;

-- Operations the server rejected or answered with a conflict: shown to people, never retried silently.
CREATE TABLE sync_issue (
  id          INTEGER PRIMARY KEY,
  op_id       TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('rejected','conflict')),
  code        TEXT NOT NULL,
  message     TEXT NOT NULL,
  details     TEXT,
  created_at  TEXT NOT NULL,
  resolved_at TEXT
) STRICT;

-- Appointment bookings made on this workstation: provisional until the server confirms the slot.
CREATE TABLE booking (
  id           INTEGER PRIMARY KEY,
  booking_id   TEXT NOT NULL UNIQUE,
  doctor       TEXT NOT NULL,
  slot_start   TEXT NOT NULL,
  patient_iin  TEXT,
  patient_name TEXT,
  phone        TEXT,
  status       TEXT NOT NULL DEFAULT 'provisional' CHECK (status IN ('provisional','confirmed','conflict')),
  op_id        TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL,
  confirmed_at TEXT,
  server       TEXT
) STRICT;
CREATE INDEX booking_by_slot ON booking (doctor, slot_start);
`;
