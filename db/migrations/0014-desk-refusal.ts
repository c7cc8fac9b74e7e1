/**
 * Motivated refusals at the desk (issue 15, point 4; Astana cl. 13(4)–(5), (8)–(9)): the refused request itself
 * carries the regulation's ground (request_step.refusal_code/refusal_reason); this row keeps what the printed
 * refusal needs beyond it — the name the person gave when they are not in the population register, the
 * registrar's note. Append-only: a refusal handed to a citizen is never edited.
 */
export const sql = /* sql */ `
CREATE TABLE desk_refusal (
  request_id   INTEGER PRIMARY KEY REFERENCES service_request(id),
  ground       TEXT NOT NULL,
  person_name  TEXT,
  note         TEXT,
  created_at   TEXT NOT NULL,
  created_by   INTEGER NOT NULL REFERENCES staff(id)
) STRICT;
CREATE TRIGGER desk_refusal_no_update BEFORE UPDATE ON desk_refusal
BEGIN SELECT RAISE(ABORT, 'desk_refusal is append-only'); END;
CREATE TRIGGER desk_refusal_no_delete BEFORE DELETE ON desk_refusal
BEGIN SELECT RAISE(ABORT, 'desk_refusal is append-only'); END;
`;
