/**
 * Issue 19 — the verification records of issued documents, pushed by the desks (`document.verification`): the
 * SHA-256 of number and code (never the code), what the public page may show, the status, the outcome of the
 * CAdES check made on arrival, and how often the page confirmed the document. A number is unique in its
 * organization only; the page looks a number up across organizations and compares each record's code hash.
 */
export const sql = /* sql */ `
CREATE TABLE document_verification (
  org_bin          text NOT NULL,
  number           text NOT NULL,
  kind             text NOT NULL,
  code_hash        text NOT NULL,
  status           text NOT NULL CHECK (status IN ('valid', 'voided', 'revoked')),
  status_reason    text,
  status_at        timestamptz,
  issued_at        timestamptz NOT NULL,
  shows            text NOT NULL,
  signature        text,
  workstation_id   text NOT NULL,
  received_at      timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  checks           bigint NOT NULL DEFAULT 0,
  last_checked_at  timestamptz,
  PRIMARY KEY (org_bin, number)
);
CREATE INDEX document_verification_number ON document_verification (number);
CREATE INDEX document_verification_checked ON document_verification (org_bin, checks) WHERE checks > 0;
-- A record the server refuses (another code for a number it holds) is kept as a rejected operation.
ALTER TABLE sync_op DROP CONSTRAINT sync_op_status_check;
ALTER TABLE sync_op ADD CONSTRAINT sync_op_status_check CHECK (status IN ('applied', 'conflict', 'rejected'));
`;
