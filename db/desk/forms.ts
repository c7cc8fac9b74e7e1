/**
 * Data access of certified desk forms and their scans (issue 15, point 6; migration 0011-desk-forms). Writers are
 * called inside the service's transaction; nothing here opens its own. Statements are prepared once per connection.
 */
import type { Db } from '../connection';
import { statementCache } from '../statements';

export interface NewScanRow {
  staff_id: number;
  service_id: string;
  document_id: string;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  bytes: Buffer;
  added_at: string;
}

/** A scan without its bytes (lists); `scanBytes` reads the file itself. */
export interface ScanRow extends Omit<NewScanRow, 'bytes'> {
  id: number;
  request_id: number | null;
}

export interface DeskFormRow {
  request_id: number;
  step_id: string;
  document: string;
  hash: string;
  cms: Buffer;
  staff_id: number;
  signer_name: string;
  certificate_serial: string;
  signed_at: string;
}

const COLUMNS = 'id, staff_id, service_id, document_id, file_name, media_type, size, sha256, added_at, request_id';

const statements = statementCache((db: Db) => ({
  insertScan: db.prepare(
    `INSERT INTO desk_scan (staff_id, service_id, document_id, file_name, media_type, size, sha256, bytes, added_at)
     VALUES (@staff_id, @service_id, @document_id, @file_name, @media_type, @size, @sha256, @bytes, @added_at)`,
  ),
  scan: db.prepare(`SELECT ${COLUMNS} FROM desk_scan WHERE id = ?`),
  scanBytes: db.prepare(`SELECT bytes FROM desk_scan WHERE id = ?`),
  drafts: db.prepare(`SELECT ${COLUMNS} FROM desk_scan WHERE staff_id = ? AND service_id = ? AND request_id IS NULL ORDER BY id`),
  ofRequest: db.prepare(`SELECT ${COLUMNS} FROM desk_scan WHERE request_id = ? ORDER BY id`),
  deleteDraft: db.prepare(`DELETE FROM desk_scan WHERE id = ? AND staff_id = ? AND request_id IS NULL`),
  attach: db.prepare(`UPDATE desk_scan SET request_id = ? WHERE id = ? AND staff_id = ? AND request_id IS NULL`),
  insertForm: db.prepare(
    `INSERT INTO desk_form (request_id, step_id, document, hash, cms, staff_id, signer_name, certificate_serial, signed_at)
     VALUES (@request_id, @step_id, @document, @hash, @cms, @staff_id, @signer_name, @certificate_serial, @signed_at)`,
  ),
  form: db.prepare(`SELECT * FROM desk_form WHERE request_id = ?`),
}));

export function insertScan(db: Db, row: NewScanRow): number {
  return Number(statements.get(db).insertScan.run(row).lastInsertRowid);
}
export function getScan(db: Db, id: number): ScanRow | undefined {
  return statements.get(db).scan.get(id) as ScanRow | undefined;
}
export function scanBytes(db: Db, id: number): Buffer | undefined {
  return (statements.get(db).scanBytes.get(id) as { bytes: Buffer } | undefined)?.bytes;
}
/** A registrar's scans not yet attached to a request, for one service's form. */
export function draftScans(db: Db, staffId: number, serviceId: string): ScanRow[] {
  return statements.get(db).drafts.all(staffId, serviceId) as ScanRow[];
}
export function scansOfRequest(db: Db, requestId: number): ScanRow[] {
  return statements.get(db).ofRequest.all(requestId) as ScanRow[];
}
/** Removes one of the registrar's own drafts; false when there is none (attached scans are never removed). */
export function deleteDraftScan(db: Db, id: number, staffId: number): boolean {
  return statements.get(db).deleteDraft.run(id, staffId).changes === 1;
}
/** Attaches a registrar's draft scan to a request; false when it is not that registrar's draft. */
export function attachScan(db: Db, id: number, staffId: number, requestId: number): boolean {
  return statements.get(db).attach.run(requestId, id, staffId).changes === 1;
}
export function insertDeskForm(db: Db, row: DeskFormRow): void {
  statements.get(db).insertForm.run(row);
}
export function deskFormOfRequest(db: Db, requestId: number): DeskFormRow | undefined {
  return statements.get(db).form.get(requestId) as DeskFormRow | undefined;
}
