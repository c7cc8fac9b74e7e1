/**
 * Issue 19 — a verification record per issued document: the random code printed on it (kept here so a re-print
 * carries the same code; the server keeps only its hash), what the paper shows, the status (valid, voided,
 * revoked) and what the desk's scanner opens (the request, the person). An HIV document has no person here.
 */
export const sql = /* sql */ `
CREATE TABLE document_verification (
  number         TEXT PRIMARY KEY,
  kind           TEXT NOT NULL,
  code           TEXT NOT NULL,
  shows          TEXT NOT NULL,
  status         TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'voided', 'revoked')),
  status_reason  TEXT,
  status_at      TEXT,
  issued_at      TEXT NOT NULL,
  request_id     INTEGER REFERENCES service_request(id),
  person_iin     TEXT,
  created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX document_verification_request ON document_verification (request_id);
`;
