/** Journal rows written by the step engine for steps the regulation calls a journal entry (migration 0013). */
import type { Db } from './connection';
import { statementCache } from './statements';

export interface StepJournalRow {
  journal: string;
  request_id: number;
  step_id: string;
  service_id: string;
  person_iin: string | null;
  entered_at: string;
  entered_by: number | null;
}

const statements = statementCache((db: Db) => ({
  insert: db.prepare(
    `INSERT INTO step_journal_entry (journal, request_id, step_id, service_id, person_iin, entered_at, entered_by)
     VALUES (@journal, @request_id, @step_id, @service_id, @person_iin, @entered_at, @entered_by)`,
  ),
  ofRequest: db.prepare(
    `SELECT journal, request_id, step_id, service_id, person_iin, entered_at, entered_by FROM step_journal_entry WHERE request_id = ? ORDER BY id`,
  ),
})).get;

export function insertStepJournalEntry(db: Db, row: StepJournalRow): void {
  statements(db).insert.run(row);
}

export function stepJournalOfRequest(db: Db, requestId: number): StepJournalRow[] {
  return statements(db).ofRequest.all(requestId) as StepJournalRow[];
}
