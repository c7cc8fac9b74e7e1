/**
 * A voided payment returns the request to the cash desk (issue 15, point 7): the request may be paid again, so
 * "one payment per request" becomes "one payment per request that is not voided". The journal stays append-only:
 * the voided payment, its void and the new payment are all kept. A partial index cannot see the void (it is
 * another row), so a trigger enforces the rule.
 */
export const sql = /* sql */ `
DROP INDEX cash_entry_one_payment;
CREATE INDEX cash_entry_request ON cash_entry (request_id);
CREATE TRIGGER cash_entry_one_live_payment BEFORE INSERT ON cash_entry
WHEN NEW.kind = 'payment' AND EXISTS (
  SELECT 1 FROM cash_entry p
   WHERE p.request_id = NEW.request_id AND p.kind = 'payment'
     AND NOT EXISTS (SELECT 1 FROM cash_entry v WHERE v.voids_id = p.id)
)
BEGIN SELECT RAISE(ABORT, 'cash_entry: the request already has a payment that is not voided'); END;
`;
