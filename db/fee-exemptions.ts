/** Fee exemptions (migration 0009): one per request, append-only, with the receipt number that shows it. */
import type { Db } from './connection';

export interface FeeExemptionRow {
  id: number;
  receipt_no: string;
  request_id: number;
  service_id: string;
  reason: string;
  waived_kzt: number;
  created_at: string;
  created_by: number;
}

export interface FeeExemptionView extends FeeExemptionRow {
  request_number: string;
  staff_name: string;
}

export function insertFeeExemption(db: Db, row: Omit<FeeExemptionRow, 'id'>): number {
  return Number(
    db
      .prepare(
        `INSERT INTO fee_exemption (receipt_no, request_id, service_id, reason, waived_kzt, created_at, created_by)
         VALUES (@receipt_no, @request_id, @service_id, @reason, @waived_kzt, @created_at, @created_by)`,
      )
      .run(row).lastInsertRowid,
  );
}

const VIEW = `SELECT e.*, r.number AS request_number, s.full_name AS staff_name
                FROM fee_exemption e JOIN service_request r ON r.id = e.request_id JOIN staff s ON s.id = e.created_by`;

export function feeExemptionOfRequest(db: Db, requestId: number): FeeExemptionView | undefined {
  return db.prepare(`${VIEW} WHERE e.request_id = ?`).get(requestId) as FeeExemptionView | undefined;
}

export function feeExemptionByReceipt(db: Db, receiptNo: string): FeeExemptionView | undefined {
  return db.prepare(`${VIEW} WHERE e.receipt_no = ?`).get(receiptNo) as FeeExemptionView | undefined;
}
