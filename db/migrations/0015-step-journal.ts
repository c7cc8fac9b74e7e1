/**
 * Journal entries the regulations make a step of (issue 15, point 4): "the operator records the person in the
 * journal" (анықтама беруді тіркеу журналы) is a row of that journal, written by the step engine when such a step
 * (`journal` on the step in the definition) is completed — not only a completed step. The cash journal is the
 * cashier's own (cash_entry); the desk journals are home_visit, appointment and attachment. Append-only.
 */
export const sql = /* sql */ `
CREATE TABLE step_journal_entry (
  id          INTEGER PRIMARY KEY,
  journal     TEXT NOT NULL,
  request_id  INTEGER NOT NULL REFERENCES service_request(id),
  step_id     TEXT NOT NULL,
  service_id  TEXT NOT NULL,
  person_iin  TEXT,
  entered_at  TEXT NOT NULL,
  entered_by  INTEGER REFERENCES staff(id),
  UNIQUE (request_id, step_id)
) STRICT;
CREATE INDEX step_journal_entry_journal ON step_journal_entry (journal, entered_at);
CREATE TRIGGER step_journal_entry_no_update BEFORE UPDATE ON step_journal_entry
BEGIN SELECT RAISE(ABORT, 'step_journal_entry is append-only'); END;
CREATE TRIGGER step_journal_entry_no_delete BEFORE DELETE ON step_journal_entry
BEGIN SELECT RAISE(ABORT, 'step_journal_entry is append-only'); END;
`;
