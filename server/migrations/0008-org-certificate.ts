/**
 * Issue 14, point 7 — the organization's registered signing certificates: the server shows a citizen an answer only
 * when it is signed by one of them. A certificate is registered by the first answer it signs, if it carries the
 * organization's BIN and chains to the CA certificates published to that organization.
 */
export const sql = /* sql */ `
CREATE TABLE org_certificate (
  org_bin        text NOT NULL,
  fingerprint    text NOT NULL,           -- sha256 of the DER, hex
  der            bytea NOT NULL,
  subject        text NOT NULL,
  registered_at  timestamptz NOT NULL,
  first_number   text NOT NULL,            -- the e-request whose answer registered it
  PRIMARY KEY (org_bin, fingerprint)
);
`;
