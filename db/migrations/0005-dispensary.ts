/**
 * Dispensaries, the cash desk and HIV testing (issue 6). Additive only.
 *
 * - `register_entry`: the TB, psychiatric and narcology registers as the workstation sees them, keyed by
 *   (register, IIN) — a primary-key look-up, never a scan; there is no list query anywhere in the code.
 * - `register_check`: every look-up (who, whom, when, the answer); append-only.
 * - `price_list`: a service's fee with effective dates.
 * - `cash_shift`, `cash_entry`: the cashier's shifts and the cash journal. A void is a reversing entry (negative
 *   amount) pointing at the payment; entries are never updated or deleted. One payment per request (UNIQUE).
 * - `certificate`, `certificate_signature`: the canonical document (immutable) and its CAdES-BES signatures,
 *   appended one by one; the issuance journal is `certificate` where `issued_at` is set.
 * - `hiv_test`: the sample and the laboratory result of an HIV examination, by the request's code (never a name).
 */
export const sql = /* sql */ `
CREATE TABLE register_entry (
  register   TEXT NOT NULL CHECK (register IN ('tb','psychiatric','narcology')),
  iin        TEXT NOT NULL,
  from_date  TEXT NOT NULL,
  removed_on TEXT,
  source     TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (register, iin)
) WITHOUT ROWID, STRICT;

CREATE TABLE register_import (
  id          INTEGER PRIMARY KEY,
  register    TEXT NOT NULL,
  file_name   TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by INTEGER REFERENCES staff(id),
  total       INTEGER NOT NULL,
  accepted    INTEGER NOT NULL,
  rejected    INTEGER NOT NULL
) STRICT;

CREATE TABLE register_check (
  id            INTEGER PRIMARY KEY,
  register      TEXT NOT NULL,
  iin           TEXT NOT NULL,
  request_id    INTEGER REFERENCES service_request(id),
  found         INTEGER NOT NULL CHECK (found IN (0,1)),
  from_date     TEXT,
  removed_on    TEXT,
  checked_at    TEXT NOT NULL,
  checked_by    INTEGER REFERENCES staff(id),
  checked_login TEXT NOT NULL
) STRICT;
CREATE INDEX register_check_request ON register_check (request_id);
CREATE TRIGGER register_check_no_update BEFORE UPDATE ON register_check
BEGIN SELECT RAISE(ABORT, 'register checks are append-only'); END;
CREATE TRIGGER register_check_no_delete BEFORE DELETE ON register_check
BEGIN SELECT RAISE(ABORT, 'register checks are append-only'); END;

CREATE TABLE price_list (
  id             INTEGER PRIMARY KEY,
  service_id     TEXT NOT NULL,
  fee_kzt        INTEGER NOT NULL CHECK (fee_kzt >= 0),
  effective_from TEXT NOT NULL,
  effective_to   TEXT,
  created_at     TEXT NOT NULL,
  created_by     INTEGER REFERENCES staff(id),
  CHECK (effective_to IS NULL OR effective_to >= effective_from)
) STRICT;
CREATE INDEX price_list_service ON price_list (service_id, effective_from);

CREATE TABLE cash_shift (
  id          INTEGER PRIMARY KEY,
  number      TEXT NOT NULL UNIQUE,
  cashier_id  INTEGER NOT NULL REFERENCES staff(id),
  opened_at   TEXT NOT NULL,
  closed_at   TEXT,
  totals      TEXT
) STRICT;
-- One open shift per cashier.
CREATE UNIQUE INDEX cash_shift_open ON cash_shift (cashier_id) WHERE closed_at IS NULL;
CREATE TRIGGER cash_shift_no_delete BEFORE DELETE ON cash_shift
BEGIN SELECT RAISE(ABORT, 'cash shifts are kept'); END;
CREATE TRIGGER cash_shift_closed BEFORE UPDATE ON cash_shift WHEN OLD.closed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed shift cannot change'); END;

CREATE TABLE cash_entry (
  id          INTEGER PRIMARY KEY,
  receipt_no  TEXT NOT NULL UNIQUE,
  shift_id    INTEGER NOT NULL REFERENCES cash_shift(id),
  kind        TEXT NOT NULL CHECK (kind IN ('payment','void')),
  request_id  INTEGER NOT NULL REFERENCES service_request(id),
  service_id  TEXT NOT NULL,
  amount_kzt  INTEGER NOT NULL,
  method      TEXT NOT NULL CHECK (method IN ('cash','card')),
  voids_id    INTEGER UNIQUE REFERENCES cash_entry(id),
  reason      TEXT,
  created_at  TEXT NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES staff(id),
  CHECK ((kind = 'payment') = (voids_id IS NULL)),
  CHECK (kind = 'payment' OR (reason IS NOT NULL AND length(reason) >= 3)),
  CHECK ((kind = 'payment') = (amount_kzt > 0))
) STRICT;
CREATE UNIQUE INDEX cash_entry_one_payment ON cash_entry (request_id) WHERE kind = 'payment';
CREATE INDEX cash_entry_shift ON cash_entry (shift_id);
CREATE INDEX cash_entry_created ON cash_entry (created_at);
CREATE TRIGGER cash_entry_no_update BEFORE UPDATE ON cash_entry
BEGIN SELECT RAISE(ABORT, 'the cash journal is append-only: a void is a reversing entry'); END;
CREATE TRIGGER cash_entry_no_delete BEFORE DELETE ON cash_entry
BEGIN SELECT RAISE(ABORT, 'the cash journal is append-only: a void is a reversing entry'); END;

CREATE TABLE certificate (
  id           INTEGER PRIMARY KEY,
  number       TEXT NOT NULL UNIQUE,
  request_id   INTEGER NOT NULL UNIQUE REFERENCES service_request(id),
  service_id   TEXT NOT NULL,
  document     TEXT NOT NULL,
  hash         TEXT NOT NULL,
  signatures_required INTEGER NOT NULL,
  created_at   TEXT NOT NULL,
  issued_at    TEXT
) STRICT;
CREATE INDEX certificate_issued ON certificate (issued_at);
CREATE TRIGGER certificate_no_delete BEFORE DELETE ON certificate
BEGIN SELECT RAISE(ABORT, 'issued certificates are kept'); END;
CREATE TRIGGER certificate_fixed BEFORE UPDATE OF number, request_id, service_id, document, hash, signatures_required, created_at ON certificate
BEGIN SELECT RAISE(ABORT, 'a certificate document never changes'); END;
CREATE TRIGGER certificate_issued_once BEFORE UPDATE OF issued_at ON certificate WHEN OLD.issued_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a certificate is issued once'); END;

CREATE TABLE certificate_signature (
  id             INTEGER PRIMARY KEY,
  certificate_id INTEGER NOT NULL REFERENCES certificate(id),
  seq            INTEGER NOT NULL,
  step_id        TEXT NOT NULL,
  role           TEXT NOT NULL,
  staff_id       INTEGER REFERENCES staff(id),
  signer_name    TEXT NOT NULL,
  certificate_serial TEXT NOT NULL,
  -- The whole CMS after this signature (the second one holds both SignerInfos).
  cms            BLOB NOT NULL,
  signed_at      TEXT NOT NULL,
  UNIQUE (certificate_id, seq),
  UNIQUE (certificate_id, step_id)
) STRICT;
CREATE TRIGGER certificate_signature_no_update BEFORE UPDATE ON certificate_signature
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;
CREATE TRIGGER certificate_signature_no_delete BEFORE DELETE ON certificate_signature
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;

CREATE TABLE hiv_test (
  request_id  INTEGER PRIMARY KEY REFERENCES service_request(id),
  code        TEXT NOT NULL UNIQUE,
  mode        TEXT NOT NULL CHECK (mode IN ('anonymous','confidential')),
  sample_no   TEXT,
  drawn_at    TEXT,
  result      TEXT CHECK (result IN ('negative','positive')),
  result_at   TEXT,
  result_by   INTEGER REFERENCES staff(id),
  released_at TEXT
) STRICT;
CREATE TRIGGER hiv_test_no_delete BEFORE DELETE ON hiv_test
BEGIN SELECT RAISE(ABORT, 'HIV test records are kept'); END;
CREATE TRIGGER hiv_test_result_once BEFORE UPDATE OF result ON hiv_test WHEN OLD.result IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a laboratory result is entered once'); END;
`;
