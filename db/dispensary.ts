/**
 * Data access for issue 6: the dispensary registers and their checks, the price list, the cash desk (shifts and
 * the cash journal), certificates with their signatures and HIV tests. Services decide; this module reads and
 * writes rows. There is deliberately no query that lists a register's contents. Each section prepares its
 * statements once per connection (db/statements.ts).
 */
import type { Db } from './connection';
import { statementCache } from './statements';

export const REGISTERS = ['tb', 'psychiatric', 'narcology'] as const;
export type RegisterKind = (typeof REGISTERS)[number];

export interface RegisterEntryRow {
  register: RegisterKind;
  iin: string;
  from_date: string;
  removed_on: string | null;
  source: string;
  updated_at: string;
}

function prepare(db: Db) {
  return {
    lookup: db.prepare(`SELECT * FROM register_entry WHERE register = ? AND iin = ?`),
    upsert: db.prepare(
      `INSERT INTO register_entry (register, iin, from_date, removed_on, source, updated_at)
       VALUES (@register, @iin, @from_date, @removed_on, @source, @updated_at)
       ON CONFLICT (register, iin) DO UPDATE SET from_date = excluded.from_date, removed_on = excluded.removed_on,
         source = excluded.source, updated_at = excluded.updated_at`,
    ),
    insertCheck: db.prepare(
      `INSERT INTO register_check (register, iin, request_id, found, from_date, removed_on, checked_at, checked_by, checked_login)
       VALUES (@register, @iin, @request_id, @found, @from_date, @removed_on, @checked_at, @checked_by, @checked_login)`,
    ),
    checksOfRequest: db.prepare(`SELECT * FROM register_check WHERE request_id = ? ORDER BY id`),
    insertImport: db.prepare(
      `INSERT INTO register_import (register, file_name, imported_at, imported_by, total, accepted, rejected) VALUES (@register, @file_name, @imported_at, @imported_by, @total, @accepted, @rejected)`,
    ),
  };
}
const registerStatements = statementCache(prepare).get;

/** One person in one register, by the primary key. */
export function lookupRegister(db: Db, register: RegisterKind, iin: string): RegisterEntryRow | undefined {
  return registerStatements(db).lookup.get(register, iin) as RegisterEntryRow | undefined;
}

/** A desk that stops checking the registers keeps none of their entries (need to know). */
export function deleteAllRegisterEntries(db: Db): number {
  return db.prepare(`DELETE FROM register_entry`).run().changes;
}

export function upsertRegisterEntry(db: Db, row: RegisterEntryRow): void {
  registerStatements(db).upsert.run(row);
}

export interface RegisterCheckRow {
  id: number;
  register: RegisterKind;
  iin: string;
  request_id: number | null;
  found: 0 | 1;
  from_date: string | null;
  removed_on: string | null;
  checked_at: string;
  checked_by: number | null;
  checked_login: string;
}

export function insertRegisterCheck(db: Db, row: Omit<RegisterCheckRow, 'id'>): number {
  return Number(registerStatements(db).insertCheck.run(row).lastInsertRowid);
}

export function checksOfRequest(db: Db, requestId: number): RegisterCheckRow[] {
  return registerStatements(db).checksOfRequest.all(requestId) as RegisterCheckRow[];
}

export function insertRegisterImport(
  db: Db,
  r: {
    register: string;
    file_name: string;
    imported_at: string;
    imported_by: number | null;
    total: number;
    accepted: number;
    rejected: number;
  },
): number {
  return Number(registerStatements(db).insertImport.run(r).lastInsertRowid);
}

// ---------------------------------------------------------------------------------------------------------------
// Price list

export interface PriceRow {
  id: number;
  service_id: string;
  fee_kzt: number;
  effective_from: string;
  effective_to: string | null;
  created_at: string;
  created_by: number | null;
}

const priceStatements = statementCache((db: Db) => ({
  list: db.prepare(`SELECT * FROM price_list ORDER BY service_id, effective_from`),
  inForceOn: db.prepare(
    `SELECT * FROM price_list WHERE service_id = ? AND effective_from <= ? AND (effective_to IS NULL OR effective_to >= ?)
       ORDER BY effective_from DESC, id DESC LIMIT 1`,
  ),
  // Each price of a service ends the day before the next one starts; the last is open-ended.
  chain: db.prepare(
    `UPDATE price_list SET effective_to = (SELECT date(min(n.effective_from), '-1 day') FROM price_list n
                                             WHERE n.service_id = price_list.service_id AND n.effective_from > price_list.effective_from)
      WHERE service_id = ?`,
  ),
  setFee: db.prepare(`UPDATE price_list SET fee_kzt = ? WHERE service_id = ? AND effective_from = ?`),
  insert: db.prepare(
    `INSERT INTO price_list (service_id, fee_kzt, effective_from, effective_to, created_at, created_by) VALUES (@service_id, @fee_kzt, @effective_from, @effective_to, @created_at, @created_by)`,
  ),
  sameStart: db.prepare(`SELECT * FROM price_list WHERE service_id = ? AND effective_from = ?`),
})).get;

export function listPrices(db: Db): PriceRow[] {
  return priceStatements(db).list.all() as PriceRow[];
}

/** The price in force on a local date (the latest that started by then and has not ended). */
export function priceOn(db: Db, serviceId: string, date: string): PriceRow | undefined {
  return priceStatements(db).inForceOn.get(serviceId, date, date) as PriceRow | undefined;
}

/**
 * Adds a price of a service from a date and re-chains the service's prices: each ends the day before the next one
 * starts, the last is open-ended. The price list is thus a function of its (start, fee) rows whatever the order they
 * were added in — which desks of one clinic do differently (issue 13: a price set on another desk may start before
 * one set here).
 */
export function insertPrice(db: Db, r: Omit<PriceRow, 'id' | 'effective_to'>): number {
  const id = Number(
    priceStatements(db).insert.run({
      service_id: r.service_id,
      fee_kzt: r.fee_kzt,
      effective_from: r.effective_from,
      effective_to: null,
      created_at: r.created_at,
      created_by: r.created_by,
    }).lastInsertRowid,
  );
  priceStatements(db).chain.run(r.service_id);
  return id;
}

/** Another desk's fee for a price that starts on the same day (the last one the server received wins). */
export function setPriceFee(db: Db, serviceId: string, from: string, feeKzt: number): void {
  priceStatements(db).setFee.run(feeKzt, serviceId, from);
}

export function samePriceStart(db: Db, serviceId: string, from: string): PriceRow | undefined {
  return priceStatements(db).sameStart.get(serviceId, from) as PriceRow | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Cash desk

export interface ShiftRow {
  id: number;
  number: string;
  cashier_id: number;
  opened_at: string;
  closed_at: string | null;
  totals: string | null;
}

export interface CashEntryRow {
  id: number;
  receipt_no: string;
  shift_id: number;
  kind: 'payment' | 'void';
  request_id: number;
  service_id: string;
  amount_kzt: number;
  method: 'cash' | 'card';
  voids_id: number | null;
  reason: string | null;
  created_at: string;
  created_by: number;
}

const cashStatements = statementCache((db: Db) => ({
  openShiftOf: db.prepare(`SELECT * FROM cash_shift WHERE cashier_id = ? AND closed_at IS NULL`),
  shift: db.prepare(`SELECT * FROM cash_shift WHERE id = ?`),
  insertShift: db.prepare(`INSERT INTO cash_shift (number, cashier_id, opened_at) VALUES (@number, @cashier_id, @opened_at)`),
  closeShift: db.prepare(`UPDATE cash_shift SET closed_at = ?, totals = ? WHERE id = ? AND closed_at IS NULL`),
  insertEntry: db.prepare(
    `INSERT INTO cash_entry (receipt_no, shift_id, kind, request_id, service_id, amount_kzt, method, voids_id, reason, created_at, created_by)
         VALUES (@receipt_no, @shift_id, @kind, @request_id, @service_id, @amount_kzt, @method, @voids_id, @reason, @created_at, @created_by)`,
  ),
  entryByReceipt: db.prepare(`SELECT * FROM cash_entry WHERE receipt_no = ?`),
  entryById: db.prepare(`SELECT * FROM cash_entry WHERE id = ?`),
  paymentOfRequest: db.prepare(
    `SELECT e.*, EXISTS (SELECT 1 FROM cash_entry v WHERE v.voids_id = e.id) AS voided FROM cash_entry e WHERE e.request_id = ? AND e.kind = 'payment'
      ORDER BY e.id DESC LIMIT 1`,
  ),
  voidOf: db.prepare(`SELECT * FROM cash_entry WHERE voids_id = ?`),
  shiftTotals: db.prepare(
    `SELECT method, kind, count(*) AS n, sum(amount_kzt) AS amount FROM cash_entry WHERE shift_id = ? GROUP BY method, kind ORDER BY method, kind`,
  ),
  journal: db.prepare(
    `SELECT e.*, sh.number AS shift_number, r.number AS request_number, st.full_name AS cashier_name
       FROM cash_entry e JOIN cash_shift sh ON sh.id = e.shift_id JOIN service_request r ON r.id = e.request_id
       JOIN staff st ON st.id = e.created_by
       WHERE e.created_at >= ? AND e.created_at < ? ORDER BY e.id LIMIT ?`,
  ),
  shiftEntries: db.prepare(
    `SELECT e.*, sh.number AS shift_number, r.number AS request_number, st.full_name AS cashier_name
       FROM cash_entry e JOIN cash_shift sh ON sh.id = e.shift_id JOIN service_request r ON r.id = e.request_id
       JOIN staff st ON st.id = e.created_by WHERE e.shift_id = ? ORDER BY e.id`,
  ),
})).get;

export function openShiftOf(db: Db, cashierId: number): ShiftRow | undefined {
  return cashStatements(db).openShiftOf.get(cashierId) as ShiftRow | undefined;
}
/** The cash shifts open on this desk (the cash journal is the desk's own): an update waits until they close. */
export function openShifts(db: Db): ShiftRow[] {
  return db.prepare(`SELECT * FROM cash_shift WHERE closed_at IS NULL ORDER BY opened_at`).all() as ShiftRow[];
}
export function getShift(db: Db, id: number): ShiftRow | undefined {
  return cashStatements(db).shift.get(id) as ShiftRow | undefined;
}
export function insertShift(db: Db, r: { number: string; cashier_id: number; opened_at: string }): number {
  return Number(cashStatements(db).insertShift.run(r).lastInsertRowid);
}
export function closeShiftRow(db: Db, id: number, closedAt: string, totals: string): boolean {
  return cashStatements(db).closeShift.run(closedAt, totals, id).changes === 1;
}
export function insertCashEntry(db: Db, r: Omit<CashEntryRow, 'id'>): number {
  return Number(cashStatements(db).insertEntry.run(r).lastInsertRowid);
}
export function cashEntryByReceipt(db: Db, receiptNo: string): CashEntryRow | undefined {
  return cashStatements(db).entryByReceipt.get(receiptNo) as CashEntryRow | undefined;
}
export function cashEntryById(db: Db, id: number): CashEntryRow | undefined {
  return cashStatements(db).entryById.get(id) as CashEntryRow | undefined;
}
export function paymentOfRequest(db: Db, requestId: number): (CashEntryRow & { voided: 0 | 1 }) | undefined {
  return cashStatements(db).paymentOfRequest.get(requestId) as (CashEntryRow & { voided: 0 | 1 }) | undefined;
}
export function voidOf(db: Db, entryId: number): CashEntryRow | undefined {
  return cashStatements(db).voidOf.get(entryId) as CashEntryRow | undefined;
}
export function shiftTotals(db: Db, shiftId: number): Array<{ method: string; kind: string; n: number; amount: number }> {
  return cashStatements(db).shiftTotals.all(shiftId) as Array<{ method: string; kind: string; n: number; amount: number }>;
}

export interface JournalEntryRow extends CashEntryRow {
  shift_number: string;
  request_number: string;
  cashier_name: string;
}
/** The cash journal over [fromIso, toIso). */
export function cashJournal(db: Db, fromIso: string, toIso: string, limit: number): JournalEntryRow[] {
  return cashStatements(db).journal.all(fromIso, toIso, limit) as JournalEntryRow[];
}
export function shiftEntries(db: Db, shiftId: number): JournalEntryRow[] {
  return cashStatements(db).shiftEntries.all(shiftId) as JournalEntryRow[];
}

// ---------------------------------------------------------------------------------------------------------------
// Certificates

export interface CertificateRow {
  id: number;
  number: string;
  request_id: number;
  service_id: string;
  document: string;
  hash: string;
  signatures_required: number;
  created_at: string;
  issued_at: string | null;
}
export interface SignatureRow {
  id: number;
  certificate_id: number;
  seq: number;
  step_id: string;
  role: string;
  staff_id: number | null;
  signer_name: string;
  certificate_serial: string;
  cms: Buffer;
  signed_at: string;
}

const certificateStatements = statementCache((db: Db) => ({
  ofRequest: db.prepare(`SELECT * FROM certificate WHERE request_id = ?`),
  byNumber: db.prepare(`SELECT * FROM certificate WHERE number = ?`),
  insert: db.prepare(
    `INSERT INTO certificate (number, request_id, service_id, document, hash, signatures_required, created_at)
         VALUES (@number, @request_id, @service_id, @document, @hash, @signatures_required, @created_at)`,
  ),
  markIssued: db.prepare(`UPDATE certificate SET issued_at = ? WHERE id = ? AND issued_at IS NULL`),
  signaturesOf: db.prepare(`SELECT * FROM certificate_signature WHERE certificate_id = ? ORDER BY seq`),
  insertSignature: db.prepare(
    `INSERT INTO certificate_signature (certificate_id, seq, step_id, role, staff_id, signer_name, certificate_serial, cms, signed_at)
         VALUES (@certificate_id, @seq, @step_id, @role, @staff_id, @signer_name, @certificate_serial, @cms, @signed_at)`,
  ),
  issued: db.prepare(
    `SELECT c.*, r.number AS request_number, r.person_iin FROM certificate c JOIN service_request r ON r.id = c.request_id
       WHERE c.issued_at >= ? AND c.issued_at < ? ORDER BY c.issued_at, c.id LIMIT ?`,
  ),
})).get;

export function certificateOfRequest(db: Db, requestId: number): CertificateRow | undefined {
  return certificateStatements(db).ofRequest.get(requestId) as CertificateRow | undefined;
}
export function certificateByNumber(db: Db, number: string): CertificateRow | undefined {
  return certificateStatements(db).byNumber.get(number) as CertificateRow | undefined;
}
export function insertCertificate(db: Db, r: Omit<CertificateRow, 'id' | 'issued_at'>): number {
  return Number(certificateStatements(db).insert.run(r).lastInsertRowid);
}
export function markIssued(db: Db, id: number, at: string): void {
  certificateStatements(db).markIssued.run(at, id);
}
export function signaturesOf(db: Db, certificateId: number): SignatureRow[] {
  return certificateStatements(db).signaturesOf.all(certificateId) as SignatureRow[];
}
export function insertSignature(db: Db, r: Omit<SignatureRow, 'id'>): number {
  return Number(certificateStatements(db).insertSignature.run(r).lastInsertRowid);
}
/** The certificate issuance journal over [fromIso, toIso). */
export function issuedCertificates(
  db: Db,
  fromIso: string,
  toIso: string,
  limit: number,
): Array<CertificateRow & { request_number: string; person_iin: string | null }> {
  return certificateStatements(db).issued.all(fromIso, toIso, limit) as Array<
    CertificateRow & { request_number: string; person_iin: string | null }
  >;
}

// ---------------------------------------------------------------------------------------------------------------
// HIV tests

export interface HivTestRow {
  request_id: number;
  code: string;
  mode: 'anonymous' | 'confidential';
  sample_no: string | null;
  drawn_at: string | null;
  result: 'negative' | 'positive' | null;
  result_at: string | null;
  result_by: number | null;
  released_at: string | null;
}
const hivStatements = statementCache((db: Db) => ({
  ofRequest: db.prepare(`SELECT * FROM hiv_test WHERE request_id = ?`),
  byCode: db.prepare(`SELECT * FROM hiv_test WHERE code = ?`),
  insert: db.prepare(`INSERT INTO hiv_test (request_id, code, mode) VALUES (@request_id, @code, @mode)`),
  setSample: db.prepare(`UPDATE hiv_test SET sample_no = ?, drawn_at = ? WHERE request_id = ? AND sample_no IS NULL`),
  setResult: db.prepare(`UPDATE hiv_test SET result = ?, result_at = ?, result_by = ? WHERE request_id = ? AND result IS NULL`),
  setReleased: db.prepare(`UPDATE hiv_test SET released_at = ? WHERE request_id = ?`),
  followUps: db.prepare(
    `SELECT h.*, r.number, r.status FROM hiv_test h JOIN service_request r ON r.id = h.request_id WHERE h.result = 'positive' ORDER BY h.result_at DESC LIMIT ?`,
  ),
  requestByCode: db.prepare(`SELECT * FROM service_request WHERE service_id = ? AND (anonymous_code = ? OR number = ?)`),
})).get;

export function hivTestOf(db: Db, requestId: number): HivTestRow | undefined {
  return hivStatements(db).ofRequest.get(requestId) as HivTestRow | undefined;
}
export function hivTestByCode(db: Db, code: string): HivTestRow | undefined {
  return hivStatements(db).byCode.get(code) as HivTestRow | undefined;
}
export function insertHivTest(db: Db, r: { request_id: number; code: string; mode: 'anonymous' | 'confidential' }): void {
  hivStatements(db).insert.run(r);
}
export function setHivSample(db: Db, requestId: number, sampleNo: string, at: string): void {
  hivStatements(db).setSample.run(sampleNo, at, requestId);
}
export function setHivResult(db: Db, requestId: number, result: 'negative' | 'positive', at: string, by: number): boolean {
  return hivStatements(db).setResult.run(result, at, by, requestId).changes === 1;
}
export function setHivReleased(db: Db, requestId: number, at: string): void {
  hivStatements(db).setReleased.run(at, requestId);
}
/** Positive results: the counselling doctor's follow-up list (codes only). */
export function hivFollowUps(db: Db, limit: number): Array<HivTestRow & { number: string; status: string }> {
  return hivStatements(db).followUps.all(limit) as Array<HivTestRow & { number: string; status: string }>;
}
export function hivRequestByCode(db: Db, serviceId: string, code: string): import('./requests').RequestRow | undefined {
  return hivStatements(db).requestByCode.get(serviceId, code, code) as import('./requests').RequestRow | undefined;
}
