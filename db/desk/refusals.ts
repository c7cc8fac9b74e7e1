/** Motivated refusals at the desk (db/migrations/0012-desk-refusal.ts). */
import type { Db } from '../connection';
import { statementCache } from '../statements';

export interface DeskRefusalRow {
  request_id: number;
  ground: string;
  person_name: string | null;
  note: string | null;
  created_at: string;
  created_by: number;
}

const statements = statementCache((db: Db) => ({
  insert: db.prepare(
    `INSERT INTO desk_refusal (request_id, ground, person_name, note, created_at, created_by)
     VALUES (@request_id, @ground, @person_name, @note, @created_at, @created_by)`,
  ),
  get: db.prepare(`SELECT * FROM desk_refusal WHERE request_id = ?`),
})).get;

export function insertDeskRefusal(db: Db, row: DeskRefusalRow): void {
  statements(db).insert.run(row);
}

export function getDeskRefusal(db: Db, requestId: number): DeskRefusalRow | undefined {
  return statements(db).get.get(requestId) as DeskRefusalRow | undefined;
}
