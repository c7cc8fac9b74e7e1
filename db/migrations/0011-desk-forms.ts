/**
 * Desk request forms certified with the employee's ЭЦҚ, with scanned documents (issue 15, point 6; Astana, table 2,
 * act 5). A scan is stored when the registrar chooses the file, as a draft of that registrar (`request_id` NULL),
 * so a refused signature or a taken slot loses nothing; registering the certified form attaches the drafts to the
 * request in the same transaction as the signature. From then on the scan is part of what was signed (its SHA-256
 * is in the signed form) and, like the signature, can be neither changed nor deleted.
 */
export const sql = /* sql */ `
CREATE TABLE desk_scan (
  id          INTEGER PRIMARY KEY,
  staff_id    INTEGER NOT NULL REFERENCES staff(id),
  service_id  TEXT NOT NULL,
  document_id TEXT NOT NULL,
  file_name   TEXT NOT NULL,
  media_type  TEXT NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'application/pdf')),
  size        INTEGER NOT NULL CHECK (size > 0),
  sha256      TEXT NOT NULL,
  bytes       BLOB NOT NULL,
  added_at    TEXT NOT NULL,
  request_id  INTEGER REFERENCES service_request(id)
) STRICT;
CREATE INDEX desk_scan_request ON desk_scan (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX desk_scan_draft ON desk_scan (staff_id, service_id) WHERE request_id IS NULL;
CREATE TRIGGER desk_scan_attached_no_update BEFORE UPDATE ON desk_scan WHEN OLD.request_id IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an attached scan is part of a signed form'); END;
CREATE TRIGGER desk_scan_attached_no_delete BEFORE DELETE ON desk_scan WHEN OLD.request_id IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an attached scan is part of a signed form'); END;

CREATE TABLE desk_form (
  request_id         INTEGER PRIMARY KEY REFERENCES service_request(id),
  step_id            TEXT NOT NULL,
  -- The signed form as canonical JSON (common/canonical-json.ts): the signature covers exactly these bytes.
  document           TEXT NOT NULL,
  hash               TEXT NOT NULL,
  -- Detached CAdES-BES SignedData (DER).
  cms                BLOB NOT NULL,
  staff_id           INTEGER NOT NULL REFERENCES staff(id),
  signer_name        TEXT NOT NULL,
  certificate_serial TEXT NOT NULL,
  signed_at          TEXT NOT NULL
) STRICT;
CREATE TRIGGER desk_form_no_update BEFORE UPDATE ON desk_form
BEGIN SELECT RAISE(ABORT, 'a certified desk form is append-only'); END;
CREATE TRIGGER desk_form_no_delete BEFORE DELETE ON desk_form
BEGIN SELECT RAISE(ABORT, 'a certified desk form is append-only'); END;
`;
