/**
 * The cash desk: the price list, the cashier's shift (open, close, totals per method, the shift report), payments
 * that complete the request's cashier step in the same transaction, voids as reversing entries with a reason, and
 * the cash journal. Only the cashier role reaches these functions (common/api.ts); a physician cannot take money.
 */
import { ApiError } from '../../../common/errors';
import type { CashEntry, Shift, ShiftTotals } from '../../../common/dispensary';
import { stepById, type StepDefinition } from '../../../common/regulations';
import { recordChange } from '../../../db/change';
import {
  cashEntryById,
  cashEntryByReceipt,
  cashJournal,
  closeShiftRow,
  getShift,
  insertCashEntry,
  insertPrice,
  insertShift,
  listPrices,
  openShiftOf,
  paymentOfRequest,
  priceOn,
  samePriceStart,
  shiftEntries,
  voidOf,
  type JournalEntryRow,
  type ShiftRow,
} from '../../../db/dispensary';
import { getOrganization } from '../../../db/organization';
import { getRequestRow, openStepRow, staffFullName, type RequestRow, type StepRow } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import { dayNumberOf, dayNumberToIso } from '../../../common/working-calendar';
import type { AppContext } from '../app';
import { actorOf } from '../auth';
import { issueNumber } from '../numbers';
import { catalogOf } from '../workflow/context';
import { engineActor, engineOf, orgToday } from '../workflow/app-engine';
import { changeVerificationStatus } from '../verification/records';

function prefix(app: AppContext): string {
  return getOrganization(app.db)?.workstationPrefix ?? 'WS';
}

// ---------------------------------------------------------------------------------------------------------------
// Price list

export function prices(app: AppContext) {
  return listPrices(app.db).map((p) => ({
    id: p.id,
    serviceId: p.service_id,
    feeKzt: p.fee_kzt,
    effectiveFrom: p.effective_from,
    effectiveTo: p.effective_to,
  }));
}

/** The fee of a service today: the price list, else the regulation's default. */
export function feeToday(app: AppContext, serviceId: string): number | undefined {
  return priceOn(app.db, serviceId, orgToday(app))?.fee_kzt;
}

export function setPrice(app: AppContext, staff: StaffRow, a: { serviceId: string; feeKzt: number; effectiveFrom: string }) {
  if (!catalogOf(app).catalog.all.some((l) => l.definition.id === a.serviceId))
    throw new ApiError('not-found', `no service ${a.serviceId}`, { service: a.serviceId }, ['serviceId']);
  if (samePriceStart(app.db, a.serviceId, a.effectiveFrom))
    throw new ApiError('conflict', `a price of ${a.serviceId} already starts on ${a.effectiveFrom}`, { date: a.effectiveFrom }, [
      'effectiveFrom',
    ]);
  const now = app.clock();
  recordChange(
    app.db,
    actorOf(staff),
    now,
    () =>
      insertPrice(app.db, {
        service_id: a.serviceId,
        fee_kzt: a.feeKzt,
        effective_from: a.effectiveFrom,
        created_at: now.toISOString(),
        created_by: staff.id,
      }),
    {
      audit: { action: 'price.set', entity: 'price_list', entityId: a.serviceId, details: { feeKzt: a.feeKzt, from: a.effectiveFrom } },
      outbox: { kind: 'price.set', entity: 'price_list', entityId: a.serviceId, payload: a },
    },
  );
  return prices(app);
}

// ---------------------------------------------------------------------------------------------------------------
// Shifts

function toEntry(app: AppContext, e: JournalEntryRow): CashEntry {
  const voided = e.kind === 'payment' ? voidOf(app.db, e.id) : undefined;
  return {
    id: e.id,
    receiptNo: e.receipt_no,
    shiftNumber: e.shift_number,
    kind: e.kind,
    requestId: e.request_id,
    requestNumber: e.request_number,
    serviceId: e.service_id,
    amountKzt: e.amount_kzt,
    method: e.method,
    voidsReceipt: e.voids_id !== null ? (cashEntryById(app.db, e.voids_id)?.receipt_no ?? null) : null,
    voidedBy: voided?.receipt_no ?? null,
    reason: e.reason,
    createdAt: e.created_at,
    cashier: e.cashier_name,
  };
}

export function totalsOf(entries: readonly CashEntry[]): ShiftTotals {
  const t: ShiftTotals = { cash: 0, card: 0, total: 0, payments: 0, voids: 0 };
  for (const e of entries) {
    t[e.method] += e.amountKzt;
    t.total += e.amountKzt;
    if (e.kind === 'payment') t.payments++;
    else t.voids++;
  }
  return t;
}

function shiftView(app: AppContext, sh: ShiftRow): Shift {
  const entries = shiftEntries(app.db, sh.id).map((e) => toEntry(app, e));
  const cashier = staffFullName(app.db, sh.cashier_id) ?? '';
  return { id: sh.id, number: sh.number, cashier, openedAt: sh.opened_at, closedAt: sh.closed_at, totals: totalsOf(entries), entries };
}

export function currentShift(app: AppContext, staff: StaffRow): Shift | null {
  const sh = openShiftOf(app.db, staff.id);
  return sh ? shiftView(app, sh) : null;
}

export function shiftById(app: AppContext, id: number): Shift {
  const sh = getShift(app.db, id);
  if (!sh) throw new ApiError('not-found', `no shift ${id}`, { id });
  return shiftView(app, sh);
}

export function openShift(app: AppContext, staff: StaffRow): Shift {
  const now = app.clock();
  const id = recordChange(
    app.db,
    actorOf(staff),
    now,
    () => {
      const open = openShiftOf(app.db, staff.id);
      if (open) throw new ApiError('shift-already-open', `shift ${open.number} is already open`, { number: open.number });
      const number = issueNumber(app.db, prefix(app), 'cash-shift');
      return insertShift(app.db, { number, cashier_id: staff.id, opened_at: now.toISOString() });
    },
    { audit: (id) => ({ action: 'cash.shift-opened', entity: 'cash_shift', entityId: id }) },
  );
  return shiftById(app, id);
}

export function closeShift(app: AppContext, staff: StaffRow): Shift {
  const now = app.clock();
  const id = recordChange(
    app.db,
    actorOf(staff),
    now,
    () => {
      const open = openShiftOf(app.db, staff.id);
      if (!open) throw new ApiError('shift-not-open', 'no open shift');
      const totals = totalsOf(shiftEntries(app.db, open.id).map((e) => toEntry(app, e)));
      closeShiftRow(app.db, open.id, now.toISOString(), JSON.stringify(totals));
      return open.id;
    },
    {
      audit: (id) => ({ action: 'cash.shift-closed', entity: 'cash_shift', entityId: id }),
      outbox: (id) => {
        const sh = getShift(app.db, id)!;
        return {
          kind: 'cash.shift-close',
          entity: 'cash_shift',
          entityId: sh.number,
          payload: { number: sh.number, openedAt: sh.opened_at, closedAt: sh.closed_at, totals: JSON.parse(sh.totals!) },
        };
      },
    },
  );
  return shiftById(app, id);
}

function requireOpenShift(app: AppContext, staff: StaffRow): ShiftRow {
  const sh = openShiftOf(app.db, staff.id);
  if (!sh) throw new ApiError('shift-not-open', 'open your shift first');
  return sh;
}

// ---------------------------------------------------------------------------------------------------------------
// Payments and voids

/**
 * What taking a fee and waiving it both require: the request open, at its cash-desk step, with a fee. Returns the
 * open step and its definition; call inside the transaction that completes it.
 */
export function atCashDesk(app: AppContext, row: RequestRow): { open: StepRow; step: StepDefinition } {
  if (row.status !== 'open')
    throw new ApiError('request-closed', `request ${row.number} is already ${row.status}`, { number: row.number, status: row.status });
  const open = openStepRow(app.db, row.id)!;
  const def = catalogOf(app).catalog.byKey(row.definition_key);
  const step = def ? stepById(def, open.step_id) : undefined;
  if (!step || step.journal !== 'cash')
    throw new ApiError('step-not-current', `request ${row.number} is at step ${open.step_id}, not at the cash desk`, {
      step: 'payment',
      current: open.step_id,
    });
  if (row.fee_kzt <= 0) throw new ApiError('validation', `request ${row.number} has no fee`, {}, ['requestId']);
  return { open, step };
}

/**
 * Takes the request's fee: one receipt (workstation prefix + sequence), and the cashier step completed, in one
 * transaction. A second payment of the same request is refused (and the database's UNIQUE index backs it).
 */
export function pay(app: AppContext, staff: StaffRow, a: { requestId: number; method: 'cash' | 'card' }): CashEntry {
  const now = app.clock();
  const engine = engineOf(app);
  const id = app.db
    .transaction(() => {
      const shift = requireOpenShift(app, staff);
      const row = getRequestRow(app.db, a.requestId);
      if (!row) throw new ApiError('not-found', `no service request ${a.requestId}`, { id: a.requestId });
      const paid = paymentOfRequest(app.db, row.id);
      if (paid && !paid.voided)
        throw new ApiError('already-paid', `request ${row.number} is already paid (${paid.receipt_no})`, {
          receipt: paid.receipt_no,
          number: row.number,
        });
      const { open } = atCashDesk(app, row);
      const receipt = issueNumber(app.db, prefix(app), 'receipt');
      const entryId = insertCashEntry(app.db, {
        receipt_no: receipt,
        shift_id: shift.id,
        kind: 'payment',
        request_id: row.id,
        service_id: row.service_id,
        amount_kzt: row.fee_kzt,
        method: a.method,
        voids_id: null,
        reason: null,
        created_at: now.toISOString(),
        created_by: staff.id,
      });
      recordChange(app.db, actorOf(staff), now, () => entryId, {
        audit: {
          action: 'cash.paid',
          entity: 'cash_entry',
          entityId: receipt,
          details: { request: row.number, amountKzt: row.fee_kzt, method: a.method, shift: shift.number },
        },
        outbox: {
          kind: 'cash.payment',
          entity: 'cash_entry',
          entityId: receipt,
          payload: {
            receipt,
            request: row.number,
            serviceId: row.service_id,
            amountKzt: row.fee_kzt,
            method: a.method,
            shift: shift.number,
            at: now.toISOString(),
          },
        },
      });
      engine.completeStep(row.id, open.step_id, engineActor(staff), { note: `receipt ${receipt}` });
      return entryId;
    })
    .immediate();
  return entryView(app, id);
}

export function entryView(app: AppContext, id: number): CashEntry {
  const e = cashEntryById(app.db, id)!;
  const rows = shiftEntries(app.db, e.shift_id);
  return toEntry(
    app,
    rows.find((r) => r.id === id)!,
  );
}

/** A void: a reversing entry with a reason, of a payment of the cashier's own open shift. */
export function voidReceipt(app: AppContext, staff: StaffRow, a: { receiptNo: string; reason: string }): CashEntry {
  const reason = a.reason.trim();
  if (reason.length < 3) throw new ApiError('validation', 'a void needs a reason', {}, ['reason']);
  const now = app.clock();
  const id = app.db
    .transaction(() => {
      const shift = requireOpenShift(app, staff);
      const e = cashEntryByReceipt(app.db, a.receiptNo.trim());
      if (!e || e.kind !== 'payment') throw new ApiError('not-found', `no payment receipt ${a.receiptNo}`, { receipt: a.receiptNo });
      if (e.shift_id !== shift.id)
        throw new ApiError('receipt-other-shift', `receipt ${e.receipt_no} belongs to another shift`, { receipt: e.receipt_no });
      if (voidOf(app.db, e.id))
        throw new ApiError('already-voided', `receipt ${e.receipt_no} is already voided`, { receipt: e.receipt_no });
      const receipt = issueNumber(app.db, prefix(app), 'receipt');
      const vid = insertCashEntry(app.db, {
        receipt_no: receipt,
        shift_id: shift.id,
        kind: 'void',
        request_id: e.request_id,
        service_id: e.service_id,
        amount_kzt: -e.amount_kzt,
        method: e.method,
        voids_id: e.id,
        reason,
        created_at: now.toISOString(),
        created_by: staff.id,
      });
      recordChange(app.db, actorOf(staff), now, () => vid, {
        audit: {
          action: 'cash.voided',
          entity: 'cash_entry',
          entityId: receipt,
          details: { voids: e.receipt_no, amountKzt: -e.amount_kzt, reason },
        },
        outbox: {
          kind: 'cash.void',
          entity: 'cash_entry',
          entityId: receipt,
          payload: {
            receipt,
            voids: e.receipt_no,
            amountKzt: -e.amount_kzt,
            method: e.method,
            reason,
            shift: shift.number,
            at: now.toISOString(),
          },
        },
      });
      // A receipt already printed shows "voided" on its verification page from now on (issue 19).
      changeVerificationStatus(app, actorOf(staff), e.receipt_no, 'voided', reason);
      returnToCashDesk(app, staff, e.request_id, `receipt ${e.receipt_no} voided (${receipt})`);
      return vid;
    })
    .immediate();
  return entryView(app, id);
}

/**
 * After a void the fee is no longer paid: an open request that has gone past its cash step goes back to it (a new
 * step row; the rows before stay), so the cashier can take the payment again and nobody signs unpaid. A request
 * that is already finished keeps its result; the void is only in the cash journal.
 */
function returnToCashDesk(app: AppContext, staff: StaffRow, requestId: number, reason: string): void {
  const row = getRequestRow(app.db, requestId);
  if (!row || row.status !== 'open') return;
  const def = catalogOf(app).catalog.byKey(row.definition_key);
  const cashStep = def?.steps.find((s) => s.journal === 'cash');
  const open = openStepRow(app.db, row.id);
  if (!def || !cashStep || !open || open.step_id === cashStep.id) return;
  if (def.steps.findIndex((s) => s.id === open.step_id) < def.steps.indexOf(cashStep)) return;
  engineOf(app).returnTo(row.id, cashStep.id, engineActor(staff), reason);
}

/** The cash journal of local dates from..to (inclusive), every entry of every shift. */
export function journal(app: AppContext, a: { from: string; to: string }): { rows: CashEntry[]; totals: ShiftTotals } {
  const fromIso = `${a.from}T00:00:00.000Z`;
  const toIso = `${dayNumberToIso(dayNumberOf(a.to) + 1)}T00:00:00.000Z`;
  // Dates are compared in UTC ISO text; a day's window is widened by the zone's offset below.
  const tzShift = 12 * 3600_000;
  const rows = cashJournal(
    app.db,
    new Date(Date.parse(fromIso) - tzShift).toISOString(),
    new Date(Date.parse(toIso) + tzShift).toISOString(),
    5000,
  )
    .map((e) => toEntry(app, e))
    .filter((e) => {
      const local = new Date(e.createdAt).toLocaleDateString('sv-SE', { timeZone: getOrganization(app.db)?.timezone ?? 'Asia/Almaty' });
      return local >= a.from && local <= a.to;
    });
  return { rows, totals: totalsOf(rows) };
}

export function paymentView(app: AppContext, requestId: number): { payment: CashEntry | null; voided: boolean } {
  const p = paymentOfRequest(app.db, requestId);
  return p ? { payment: entryView(app, p.id), voided: p.voided === 1 } : { payment: null, voided: false };
}
