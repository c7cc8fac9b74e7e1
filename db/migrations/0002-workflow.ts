/**
 * Service requests and their steps (the step engine's history), imported regulation files, the quality survey.
 *
 * History is append-only in the sense that matters: requests and steps are never deleted (triggers refuse it); a
 * step row is written when the step starts and completed exactly once (a trigger refuses changing a completed
 * step). The request row carries the projection "where is it now" (status, current step), updated by the engine in
 * the same transaction as the step rows.
 *
 * Times are stored twice: ISO text (readable, sorts as text) and epoch milliseconds; plus the local day number
 * (days since 1970-01-01 of the date in the organization's zone) of a request's creation and a step's start.
 *
 * The deadline dashboard reads daily roll-ups, kept by triggers in the same transaction as the step or request
 * they count: per local day, service (and step) and duration bucket, the number closed on time, late, refused,
 * cancelled. A year of one clinic (≈ 500,000 requests, ≈ 3,000,000 steps) becomes ≈ 100,000 roll-up rows, so the
 * dashboard answers in well under a second. Duration buckets are logarithmic, bucket = floor(50·ln(1 + seconds)):
 * 2 % wide, so a median or 90th percentile read from them is within 1 % of the exact value. Cancelled steps and
 * requests have no duration (bucket -1). Open ones are counted live from the rows themselves.
 *
 * Anonymous HIV examinations: `person_iin` is NULL and `anonymous_code` is a random code given to the client.
 * Nothing here (or anywhere) links that code to a name.
 */
export const sql = /* sql */ `
CREATE TABLE service_request (
  id              INTEGER PRIMARY KEY,
  -- Workstation prefix + local sequence (A4-000123): unique across workstations without coordination.
  number          TEXT NOT NULL UNIQUE,
  -- The exact regulation version the request runs under: region/id@effectiveFrom.
  definition_key  TEXT NOT NULL,
  service_id      TEXT NOT NULL,
  region          TEXT NOT NULL,
  channel         TEXT NOT NULL CHECK (channel IN ('desk','phone','portal')),
  person_iin      TEXT,
  anonymous_code  TEXT UNIQUE,
  fee_kzt         INTEGER NOT NULL CHECK (fee_kzt >= 0),
  status          TEXT NOT NULL CHECK (status IN ('open','done','refused','cancelled')),
  current_step    TEXT,
  outcome_code    TEXT,
  created_at      TEXT NOT NULL,
  created_ms      INTEGER NOT NULL,
  created_day     INTEGER NOT NULL,
  created_by      INTEGER REFERENCES staff(id),
  deadline_at     TEXT NOT NULL,
  deadline_ms     INTEGER NOT NULL,
  closed_at       TEXT,
  closed_ms       INTEGER,
  CHECK (person_iin IS NULL OR anonymous_code IS NULL),
  CHECK ((status = 'open') = (closed_ms IS NULL)),
  CHECK ((status = 'open') = (current_step IS NOT NULL))
) STRICT;
CREATE INDEX service_request_person ON service_request (person_iin) WHERE person_iin IS NOT NULL;
CREATE INDEX service_request_open ON service_request (created_day, service_id, deadline_ms) WHERE status = 'open';
CREATE TRIGGER service_request_no_delete BEFORE DELETE ON service_request
BEGIN SELECT RAISE(ABORT, 'service requests are never deleted: cancel them with a reason'); END;
CREATE TRIGGER service_request_closed_final BEFORE UPDATE ON service_request WHEN OLD.status <> 'open'
BEGIN SELECT RAISE(ABORT, 'a closed service request cannot change'); END;

CREATE TABLE request_step (
  id               INTEGER PRIMARY KEY,
  request_id       INTEGER NOT NULL REFERENCES service_request(id),
  seq              INTEGER NOT NULL,
  step_id          TEXT NOT NULL,
  -- Copied from the request so the dashboard groups steps without a join.
  service_id       TEXT NOT NULL,
  role             TEXT NOT NULL,
  specialty        TEXT,
  started_at       TEXT NOT NULL,
  started_ms       INTEGER NOT NULL,
  started_day      INTEGER NOT NULL,
  -- Precomputed at start from the regulation and the organization's calendar of that moment.
  deadline_at      TEXT NOT NULL,
  deadline_ms      INTEGER NOT NULL,
  completed_at     TEXT,
  completed_ms     INTEGER,
  completed_by     INTEGER REFERENCES staff(id),
  completed_login  TEXT,
  completed_role   TEXT,
  -- done: the step was completed; refused: its edge ended the request with a motivated refusal;
  -- cancelled: the request was cancelled while at this step (reason in note).
  outcome          TEXT CHECK (outcome IN ('done','refused','cancelled')),
  condition        TEXT,
  refusal_code     TEXT,
  refusal_reason   TEXT,
  note             TEXT,
  UNIQUE (request_id, seq),
  CHECK ((completed_ms IS NULL) = (outcome IS NULL))
) STRICT;
CREATE INDEX request_step_request ON request_step (request_id, seq);
CREATE INDEX request_step_open ON request_step (role, specialty, deadline_ms) WHERE completed_ms IS NULL;
CREATE INDEX request_step_open_by_day ON request_step (started_day, service_id, step_id, deadline_ms) WHERE completed_ms IS NULL;
CREATE TRIGGER request_step_no_delete BEFORE DELETE ON request_step
BEGIN SELECT RAISE(ABORT, 'request steps are never deleted'); END;
CREATE TRIGGER request_step_completed_once BEFORE UPDATE ON request_step WHEN OLD.completed_ms IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a completed step cannot change'); END;

-- Daily roll-ups for the deadline dashboard (see the header). Written only by the triggers below.
CREATE TABLE step_rollup (
  day        INTEGER NOT NULL,
  service_id TEXT NOT NULL,
  step_id    TEXT NOT NULL,
  bucket     INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  on_time    INTEGER NOT NULL,
  late       INTEGER NOT NULL,
  cancelled  INTEGER NOT NULL,
  PRIMARY KEY (day, service_id, step_id, bucket)
) STRICT, WITHOUT ROWID;

CREATE TABLE request_rollup (
  day        INTEGER NOT NULL,
  service_id TEXT NOT NULL,
  bucket     INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  on_time    INTEGER NOT NULL,
  late       INTEGER NOT NULL,
  refused    INTEGER NOT NULL,
  cancelled  INTEGER NOT NULL,
  PRIMARY KEY (day, service_id, bucket)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER step_rollup_insert AFTER INSERT ON request_step WHEN NEW.completed_ms IS NOT NULL
BEGIN
  INSERT INTO step_rollup (day, service_id, step_id, bucket, n, on_time, late, cancelled)
  VALUES (NEW.started_day, NEW.service_id, NEW.step_id,
          CASE WHEN NEW.outcome = 'cancelled' THEN -1 ELSE CAST(50 * ln(1 + max(0, NEW.completed_ms - NEW.started_ms) / 1000.0) AS INTEGER) END,
          1, NEW.outcome <> 'cancelled' AND NEW.completed_ms <= NEW.deadline_ms, NEW.outcome <> 'cancelled' AND NEW.completed_ms > NEW.deadline_ms,
          NEW.outcome = 'cancelled')
  ON CONFLICT (day, service_id, step_id, bucket) DO UPDATE SET n = n + 1, on_time = on_time + excluded.on_time,
    late = late + excluded.late, cancelled = cancelled + excluded.cancelled;
END;
CREATE TRIGGER step_rollup_complete AFTER UPDATE OF completed_ms ON request_step WHEN OLD.completed_ms IS NULL AND NEW.completed_ms IS NOT NULL
BEGIN
  INSERT INTO step_rollup (day, service_id, step_id, bucket, n, on_time, late, cancelled)
  VALUES (NEW.started_day, NEW.service_id, NEW.step_id,
          CASE WHEN NEW.outcome = 'cancelled' THEN -1 ELSE CAST(50 * ln(1 + max(0, NEW.completed_ms - NEW.started_ms) / 1000.0) AS INTEGER) END,
          1, NEW.outcome <> 'cancelled' AND NEW.completed_ms <= NEW.deadline_ms, NEW.outcome <> 'cancelled' AND NEW.completed_ms > NEW.deadline_ms,
          NEW.outcome = 'cancelled')
  ON CONFLICT (day, service_id, step_id, bucket) DO UPDATE SET n = n + 1, on_time = on_time + excluded.on_time,
    late = late + excluded.late, cancelled = cancelled + excluded.cancelled;
END;
CREATE TRIGGER request_rollup_insert AFTER INSERT ON service_request WHEN NEW.status <> 'open'
BEGIN
  INSERT INTO request_rollup (day, service_id, bucket, n, on_time, late, refused, cancelled)
  VALUES (NEW.created_day, NEW.service_id,
          CASE WHEN NEW.status = 'cancelled' THEN -1 ELSE CAST(50 * ln(1 + max(0, NEW.closed_ms - NEW.created_ms) / 1000.0) AS INTEGER) END,
          1, NEW.status <> 'cancelled' AND NEW.closed_ms <= NEW.deadline_ms, NEW.status <> 'cancelled' AND NEW.closed_ms > NEW.deadline_ms,
          NEW.status = 'refused', NEW.status = 'cancelled')
  ON CONFLICT (day, service_id, bucket) DO UPDATE SET n = n + 1, on_time = on_time + excluded.on_time,
    late = late + excluded.late, refused = refused + excluded.refused, cancelled = cancelled + excluded.cancelled;
END;
CREATE TRIGGER request_rollup_close AFTER UPDATE OF status ON service_request WHEN OLD.status = 'open' AND NEW.status <> 'open'
BEGIN
  INSERT INTO request_rollup (day, service_id, bucket, n, on_time, late, refused, cancelled)
  VALUES (NEW.created_day, NEW.service_id,
          CASE WHEN NEW.status = 'cancelled' THEN -1 ELSE CAST(50 * ln(1 + max(0, NEW.closed_ms - NEW.created_ms) / 1000.0) AS INTEGER) END,
          1, NEW.status <> 'cancelled' AND NEW.closed_ms <= NEW.deadline_ms, NEW.status <> 'cancelled' AND NEW.closed_ms > NEW.deadline_ms,
          NEW.status = 'refused', NEW.status = 'cancelled')
  ON CONFLICT (day, service_id, bucket) DO UPDATE SET n = n + 1, on_time = on_time + excluded.on_time,
    late = late + excluded.late, refused = refused + excluded.refused, cancelled = cancelled + excluded.cancelled;
END;

-- Local sequences (request numbers): one row per name.
CREATE TABLE sequence (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;

-- Regulation files imported by the administrator; validated together with the shipped ones at every start.
CREATE TABLE regulation_file (
  id          INTEGER PRIMARY KEY,
  file        TEXT NOT NULL UNIQUE,
  content     TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by INTEGER REFERENCES staff(id)
) STRICT;
CREATE TRIGGER regulation_file_no_delete BEFORE DELETE ON regulation_file
BEGIN SELECT RAISE(ABORT, 'imported regulations are never deleted: import a successor'); END;

-- Appendix 3 of the Astana regulation: the quality and accessibility survey, one per completed request.
CREATE TABLE service_survey (
  id           INTEGER PRIMARY KEY,
  request_id   INTEGER NOT NULL UNIQUE REFERENCES service_request(id),
  service_id   TEXT NOT NULL,
  q1           TEXT NOT NULL CHECK (q1 IN ('not-satisfied','partly-satisfied','satisfied')),
  q2           TEXT NOT NULL CHECK (q2 IN ('not-satisfied','partly-satisfied','satisfied')),
  source       TEXT NOT NULL CHECK (source IN ('desk','kiosk')),
  recorded_at  TEXT NOT NULL,
  recorded_ms  INTEGER NOT NULL,
  recorded_by  INTEGER REFERENCES staff(id)
) STRICT;
CREATE INDEX service_survey_recorded ON service_survey (recorded_ms, service_id);
`;
