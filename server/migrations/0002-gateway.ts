/**
 * The e-request gateway (issue 8): the portal gateway's own credentials and the citizens' signed requests it
 * posted, each with its number, the document exactly as received, the routing outcome and the answer the
 * organization's workstation sent back (status, deadline, the signed result or motivated refusal).
 */
export const sql = /* sql */ `
-- One row per gateway credential; the secret is kept only as its SHA-256 (256 random bits).
CREATE TABLE gateway_client (
  id          text PRIMARY KEY,
  name        text NOT NULL DEFAULT '',
  secret_hash text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

CREATE SEQUENCE gateway_request_seq;

-- request_id is the portal's own id of the request: a second POST of the same id returns the first number.
CREATE TABLE gateway_request (
  number         text PRIMARY KEY,
  request_id     text NOT NULL UNIQUE,
  client_id      text NOT NULL REFERENCES gateway_client (id),
  org_bin        text NOT NULL,
  iin            text,
  service_type   text,
  submitted_at   text,
  document       text NOT NULL,            -- the CMS as received, base64 (never altered)
  received_at    timestamptz NOT NULL DEFAULT now(),
  status         text NOT NULL,
  status_reason  text,
  registered_as  text,
  deadline_at    text,
  answer         text,                     -- JSON: {kind, code?, reason?, reasons?, document, cms}
  answered_at    timestamptz,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gateway_request_by_org ON gateway_request (org_bin, received_at);
`;
