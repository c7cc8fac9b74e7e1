/**
 * Issue 14, point 4 — an audit log that cannot be cut: the newest audit-log head (sequence and hash) each
 * workstation pushed and the server acknowledged, and every refused head (a log cut short or rewritten) kept as
 * evidence.
 */
export const sql = /* sql */ `
CREATE TABLE workstation_audit_head (
  workstation_id  text PRIMARY KEY,
  seq             bigint NOT NULL,
  hash            text NOT NULL,
  acknowledged_at timestamptz NOT NULL
);

CREATE TABLE audit_head_refusal (
  id              bigserial PRIMARY KEY,
  workstation_id  text NOT NULL,
  org_bin         text NOT NULL,
  refused_at      timestamptz NOT NULL,
  reason          text NOT NULL,
  acknowledged    text,
  offered         text NOT NULL
);
`;
