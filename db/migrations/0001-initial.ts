/**
 * The first schema: the organization, staff, the local population register, the audit log and the outbox.
 * Once data syncs, later migrations are additive only.
 */
export const sql = /* sql */ `
CREATE TABLE organization (
  id                 INTEGER PRIMARY KEY CHECK (id = 1),
  bin                TEXT NOT NULL,
  name_kk            TEXT NOT NULL,
  name_ru            TEXT NOT NULL,
  name_en            TEXT NOT NULL,
  region             TEXT NOT NULL,
  timezone           TEXT NOT NULL,
  address            TEXT NOT NULL,
  workstation_prefix TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
  id                   INTEGER PRIMARY KEY,
  login                TEXT NOT NULL UNIQUE,
  full_name            TEXT NOT NULL,
  iin                  TEXT,
  role                 TEXT NOT NULL CHECK (role IN ('registrar','operator','cashier','physician','nurse','administrator')),
  specialty            TEXT CHECK (specialty IN ('therapist','paediatrician','gp','phthisiatrician','psychiatrist','narcologist','counselling')),
  password_hash        TEXT NOT NULL,
  language             TEXT NOT NULL DEFAULT 'kk' CHECK (language IN ('kk','ru','en')),
  disabled             INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
  failed_attempts      INTEGER NOT NULL DEFAULT 0,
  locked_until         TEXT,
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0,1)),
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  CHECK ((role = 'physician') = (specialty IS NOT NULL))
) STRICT;

-- The local cache of the state "Individuals" database (ЖТ МДБ), plus people entered by hand (source = 'manual').
-- Name keys are folded for search (common/text.ts); one index serves surname, surname+given and full-name prefixes.
-- A rowid table (IIN in its unique index) takes a 2,000,000-row import faster than a WITHOUT ROWID one:
-- rows append in order and only the two indexes take random inserts.
CREATE TABLE person (
  iin            TEXT PRIMARY KEY,
  surname        TEXT NOT NULL,
  given_name     TEXT NOT NULL,
  patronymic     TEXT,
  birth_date     TEXT NOT NULL,
  sex            TEXT NOT NULL CHECK (sex IN ('M','F')),
  address        TEXT,
  phone          TEXT,
  source         TEXT NOT NULL CHECK (source IN ('register','manual')),
  surname_key    TEXT NOT NULL,
  given_key      TEXT NOT NULL,
  patronymic_key TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX person_by_name ON person (surname_key, given_key, patronymic_key);

-- Append-only, hash-chained: hash = sha256(prev_hash + canonical row). See db/audit.ts.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  staff_id    INTEGER,
  staff_login TEXT NOT NULL,
  role        TEXT NOT NULL,
  action      TEXT NOT NULL,
  entity      TEXT,
  entity_id   TEXT,
  details     TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Operations that must reach the central server, written in the same transaction as the change itself.
CREATE TABLE outbox (
  id         INTEGER PRIMARY KEY,
  op_id      TEXT NOT NULL UNIQUE,
  kind       TEXT NOT NULL,
  entity     TEXT NOT NULL,
  entity_id  TEXT NOT NULL,
  payload    TEXT NOT NULL,
  created_at TEXT NOT NULL,
  batch_id   TEXT,
  status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','claimed','applied','duplicate','rejected','conflict')),
  result     TEXT
) STRICT;
CREATE INDEX outbox_pending ON outbox (status, id);

CREATE TABLE setting (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;
