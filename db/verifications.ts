/** Verification records of issued documents (db/migrations/0016-document-verification.ts). */
import type { Db } from './connection';
import { statementCache } from './statements';

export interface VerificationRow {
  number: string;
  kind: string;
  code: string;
  shows: string;
  status: string;
  status_reason: string | null;
  status_at: string | null;
  issued_at: string;
  request_id: number | null;
  person_iin: string | null;
  created_at: string;
}

const statements = statementCache((db: Db) => ({
  insert: db.prepare(
    `INSERT INTO document_verification (number, kind, code, shows, status, status_reason, status_at, issued_at, request_id, person_iin, created_at)
     VALUES (@number, @kind, @code, @shows, @status, @status_reason, @status_at, @issued_at, @request_id, @person_iin, @created_at)`,
  ),
  get: db.prepare(`SELECT * FROM document_verification WHERE number = ?`),
  setStatus: db.prepare(`UPDATE document_verification SET status = ?, status_reason = ?, status_at = ? WHERE number = ?`),
  recent: db.prepare(`SELECT * FROM document_verification ORDER BY created_at DESC, number DESC LIMIT ?`),
})).get;

export function insertVerification(db: Db, row: VerificationRow): void {
  statements(db).insert.run(row);
}

export function getVerification(db: Db, number: string): VerificationRow | undefined {
  return statements(db).get.get(number) as VerificationRow | undefined;
}

export function setVerificationStatus(db: Db, number: string, status: string, reason: string | null, at: string): void {
  statements(db).setStatus.run(status, reason, at, number);
}

export function recentVerifications(db: Db, limit: number): VerificationRow[] {
  return statements(db).recent.all(limit) as VerificationRow[];
}
