/**
 * Fee exemptions (issue 14, point 5): the fee of a request comes only from the price list in force; a person the
 * clinic serves free of charge is exempted by the cashier or the administrator with a reason from a fixed list
 * (common/dispensary.ts FEE_EXEMPTIONS). One exemption per request, with its own receipt number (the receipt
 * sequence, so the receipt shows it), the fee waived, who and when; like the cash journal, never updated or deleted.
 */
export const sql = /* sql */ `
CREATE TABLE fee_exemption (
  id          INTEGER PRIMARY KEY,
  receipt_no  TEXT NOT NULL UNIQUE,
  request_id  INTEGER NOT NULL UNIQUE REFERENCES service_request(id),
  service_id  TEXT NOT NULL,
  reason      TEXT NOT NULL CHECK (reason IN ('veteran','disabled-1','disabled-2','low-income','child-under-18','state-order')),
  waived_kzt  INTEGER NOT NULL CHECK (waived_kzt > 0),
  created_at  TEXT NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES staff(id)
) STRICT;

CREATE TRIGGER fee_exemption_no_update BEFORE UPDATE ON fee_exemption
BEGIN SELECT RAISE(ABORT, 'fee_exemption is append-only'); END;
CREATE TRIGGER fee_exemption_no_delete BEFORE DELETE ON fee_exemption
BEGIN SELECT RAISE(ABORT, 'fee_exemption is append-only'); END;
`;
