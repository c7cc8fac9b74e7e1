/**
 * Issue 13, point 6 — the server fit for a clinic network:
 *  - change ordering per organization: org_counter replaces the single change_counter row, so one organization's
 *    big publish does not hold every other organization's writers behind one row lock; change_log is keyed by
 *    (org_bin, seq) and each organization's counter starts at its own greatest seq (existing cursors stay valid);
 *  - change_current: the latest change per (organization, kind, key), which a new desk's first pull pages through
 *    instead of the whole history (snapshot bootstrap);
 *  - workstation.pulled_seq: the position each workstation last acknowledged, and org_counter.pruned_below: the
 *    log below it may have been pruned, so an older cursor is answered from the snapshot instead.
 */
export const sql = /* sql */ `
CREATE TABLE org_counter (
  org_bin      text PRIMARY KEY,
  seq          bigint NOT NULL,
  pruned_below bigint NOT NULL DEFAULT 0
);
INSERT INTO org_counter (org_bin, seq) SELECT org_bin, max(seq) FROM change_log GROUP BY org_bin;
DROP TABLE change_counter;

-- The primary key takes over the (org_bin, seq) index, under the same name.
ALTER TABLE change_log DROP CONSTRAINT change_log_pkey;
DROP INDEX change_log_by_org;
ALTER TABLE change_log ADD CONSTRAINT change_log_by_org PRIMARY KEY (org_bin, seq);

CREATE TABLE change_current (
  org_bin      text NOT NULL,
  kind         text NOT NULL,
  key          text NOT NULL,
  seq          bigint NOT NULL,
  payload      text NOT NULL,
  deleted      boolean NOT NULL DEFAULT false,
  origin       text,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_bin, kind, key)
);
CREATE INDEX change_current_by_seq ON change_current (org_bin, seq);
INSERT INTO change_current (org_bin, kind, key, seq, payload, deleted, origin, recorded_at)
  SELECT DISTINCT ON (org_bin, kind, key) org_bin, kind, key, seq, payload, deleted, origin, recorded_at
    FROM change_log ORDER BY org_bin, kind, key, seq DESC;

ALTER TABLE workstation ADD COLUMN pulled_seq bigint;
`;
