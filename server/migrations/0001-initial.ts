/**
 * The central server's first schema: organizations and their enrolled workstations, one-time enrollment codes,
 * pushed batches and operations, confirmed appointment slots and the change log workstations pull.
 */
export const sql = /* sql */ `
CREATE TABLE organization (
  bin        text PRIMARY KEY,
  name       text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per enrolled workstation; the secret is kept only as its SHA-256 (it is 256 random bits).
CREATE TABLE workstation (
  id              text PRIMARY KEY,
  org_bin         text NOT NULL REFERENCES organization (bin),
  name            text NOT NULL DEFAULT '',
  secret_hash     text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz,
  last_seen_at    timestamptz,
  schema_version  integer,
  protocol        integer
);

CREATE TABLE enrollment_code (
  code_hash       text PRIMARY KEY,
  org_bin         text NOT NULL REFERENCES organization (bin),
  name            text NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz,
  workstation_id  text REFERENCES workstation (id)
);

-- A batch is claimed by its id in the transaction that applies it; a replay returns the stored response.
CREATE TABLE sync_batch (
  workstation_id  text NOT NULL REFERENCES workstation (id),
  batch_id        text NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  op_count        integer NOT NULL,
  response        text,
  PRIMARY KEY (workstation_id, batch_id)
);

-- Every operation the server accepted (applied or lost a conflict), once: op_id is the deduplication key.
CREATE TABLE sync_op (
  op_id           text PRIMARY KEY,
  workstation_id  text NOT NULL REFERENCES workstation (id),
  org_bin         text NOT NULL,
  batch_id        text NOT NULL,
  kind            text NOT NULL,
  entity          text NOT NULL,
  entity_id       text NOT NULL,
  payload         text NOT NULL,
  device_time     text NOT NULL,
  received_at     timestamptz NOT NULL,
  status          text NOT NULL CHECK (status IN ('applied','conflict')),
  result          text
);
CREATE INDEX sync_op_by_workstation ON sync_op (workstation_id);

-- The authority over appointment slots: one confirmed booking per doctor and slot start.
CREATE TABLE booking (
  id              bigserial PRIMARY KEY,
  org_bin         text NOT NULL,
  doctor          text NOT NULL,
  slot_start      timestamptz NOT NULL,
  booking_key     text NOT NULL,
  op_id           text NOT NULL UNIQUE,
  workstation_id  text NOT NULL REFERENCES workstation (id),
  payload         text NOT NULL,
  confirmed_at    timestamptz NOT NULL,
  CONSTRAINT booking_one_per_slot UNIQUE (org_bin, doctor, slot_start)
);

-- The change log workstations pull, in commit order. seq comes from change_counter, a single row updated inside
-- the writing transaction just before it commits: the row lock is held until commit, so a later seq never becomes
-- visible before an earlier one, and a cursor never skips a row committed late.
CREATE TABLE change_counter (
  id  integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL
);
INSERT INTO change_counter (id, seq) VALUES (1, 0);

CREATE TABLE change_log (
  seq          bigint PRIMARY KEY,
  org_bin      text NOT NULL,
  kind         text NOT NULL,
  key          text NOT NULL,
  payload      text NOT NULL,
  deleted      boolean NOT NULL DEFAULT false,
  origin       text,
  recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_log_by_org ON change_log (org_bin, seq);
`;
