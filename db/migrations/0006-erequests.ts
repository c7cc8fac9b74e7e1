/**
 * E-requests from the portal (issue 8): the inbox of citizens' signed requests as pulled from the central
 * server, with the verification, the registration (the step engine's request), the checks against the grounds,
 * the journal entry made for it and the signed answer. Additive only. The signed request is kept byte for byte;
 * answers are written once (a trigger refuses to change an answered row).
 */
export const sql = /* sql */ `
CREATE TABLE erequest (
  id             INTEGER PRIMARY KEY,
  number         TEXT NOT NULL UNIQUE,            -- the gateway's number (what the citizen sees)
  citizen_ref    TEXT NOT NULL,                   -- the portal's requestId
  service_type   TEXT,
  iin            TEXT,
  received_at    TEXT NOT NULL,                   -- at the gateway (server time)
  pulled_at      TEXT NOT NULL,
  cms            BLOB NOT NULL,
  status         TEXT NOT NULL DEFAULT 'new'
                 CHECK (status IN ('new','awaiting-registrar','decided','done','refused')),
  verification   TEXT,                            -- JSON {valid, reasons, signer}
  content        TEXT,                            -- the signed JSON, when readable
  request_id     INTEGER REFERENCES service_request(id),
  registered_as  TEXT,                            -- the step engine's request number
  deadline_at    TEXT,
  deadline_ms    INTEGER,
  grounds        TEXT,                            -- JSON [{check, ok, detail}]
  proposal       TEXT,                            -- JSON: what the answer would record (district, doctor, window, slot)
  decision       TEXT,                            -- JSON: the decision taken, waiting for the provider's signature
  journal_ref    TEXT,                            -- home-visit call, appointment or talon number
  answer_kind    TEXT CHECK (answer_kind IN ('result','refusal')),
  refusal_code   TEXT,
  answer_doc     TEXT,
  answer_cms     BLOB,
  answered_at    TEXT,
  answered_by    TEXT,
  updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX erequest_open ON erequest (status, deadline_ms);
CREATE TRIGGER erequest_no_delete BEFORE DELETE ON erequest
BEGIN SELECT RAISE(ABORT, 'e-requests are never deleted'); END;
CREATE TRIGGER erequest_answered BEFORE UPDATE ON erequest WHEN OLD.answer_kind IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an answered e-request cannot change'); END;

-- CA certificates and CRLs the administrator loaded from files (the central server's come as reference rows).
CREATE TABLE trust_file (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('ca-certificate','crl')),
  der        BLOB NOT NULL,
  added_at   TEXT NOT NULL,
  added_by   INTEGER REFERENCES staff(id)
) STRICT;
`;
