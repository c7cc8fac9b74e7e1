/**
 * The server's push: one transaction per batch of a workstation's operations, with per-operation results, and
 * the writer of the commit-ordered change log that pull pages through (also used to publish reference rows and
 * by the gateway). Split out of the former server/store.ts (issue 12). Runs on PostgreSQL and PGlite alike.
 */
import { randomUUID } from 'node:crypto';
import { LIMITS, type AuditHead, type BookingPayload, type OpResult, type PushOp, type PushResponse } from '../common/sync-protocol';
import { isTransientDbError, type ServerDb, type Sql } from './db';
import { EREQUEST_STATUS_OP } from '../common/erequests';
import { applyStatusOp } from './gateway';
import { systemClock, type Clock } from '../common/clock';
import type { Workstation } from './enrollment';
import { registerRowsOf, sharedRowOf } from '../common/shared-state';
import { applyProfileOp } from './organization';
import { appendChanges } from './change-log';
import { VERIFICATION_OP } from '../common/verification';
import { applyVerificationOp, VerificationOpError } from './verification';
import { acknowledgeAuditHead, AuditForkedError, readAuditHead, recordAuditRefusal } from './audit-head';

// The change log's writer moved to server/change-log.ts; re-exported for the callers that import it from here.
export { appendChanges, publishReference } from './change-log';

const OP_ID = /^[0-9A-Za-z_-]{8,64}$/;
const KIND = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const NO_NUL = /^[^\u0000]{1,200}$/;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)$/;

export class PushRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Prepared {
  index: number;
  op: PushOp;
  payloadText: string;
}

function reject(op_id: string, code: string, message: string): OpResult {
  return { op_id, status: 'rejected', code, message };
}

/** Checks one operation on its own; a failure rejects only this operation. */
function validateOp(op: unknown): { ok: true; op: PushOp; payloadText: string } | { ok: false; result: OpResult } {
  const o = op as Partial<PushOp> | null;
  const opId = typeof o?.op_id === 'string' ? o.op_id : '';
  if (!o || typeof o !== 'object' || !OP_ID.test(opId))
    return { ok: false, result: reject(opId.slice(0, 64), 'malformed', 'op_id missing or not an identifier') };
  if (typeof o.kind !== 'string' || !KIND.test(o.kind) || o.kind.length > 64)
    return { ok: false, result: reject(opId, 'malformed', 'kind is not a dotted name') };
  if (typeof o.entity !== 'string' || !NO_NUL.test(o.entity)) return { ok: false, result: reject(opId, 'malformed', 'entity missing') };
  if (typeof o.entity_id !== 'string' || !NO_NUL.test(o.entity_id))
    return { ok: false, result: reject(opId, 'malformed', 'entity_id missing') };
  if (typeof o.created_at !== 'string' || !ISO_TIME.test(o.created_at))
    return { ok: false, result: reject(opId, 'malformed', 'created_at is not an ISO time') };
  if (o.payload === undefined) return { ok: false, result: reject(opId, 'malformed', 'payload missing') };
  const payloadText = JSON.stringify(o.payload);
  if (Buffer.byteLength(payloadText) > LIMITS.opMaxBytes)
    return { ok: false, result: reject(opId, 'too-large', `payload over ${LIMITS.opMaxBytes} bytes`) };
  if (o.kind === 'booking.create') {
    const p = o.payload as Partial<BookingPayload> | null;
    if (!p || typeof p !== 'object') return { ok: false, result: reject(opId, 'invalid-payload', 'a booking needs an object payload') };
    if (typeof p.booking_id !== 'string' || !NO_NUL.test(p.booking_id))
      return { ok: false, result: reject(opId, 'invalid-payload', 'booking_id missing') };
    if (typeof p.doctor !== 'string' || !NO_NUL.test(p.doctor))
      return { ok: false, result: reject(opId, 'invalid-payload', 'doctor missing') };
    if (typeof p.slot_start !== 'string' || !ISO_TIME.test(p.slot_start) || Number.isNaN(Date.parse(p.slot_start)))
      return { ok: false, result: reject(opId, 'invalid-payload', 'slot_start is not an ISO time') };
  }
  return { ok: true, op: o as PushOp, payloadText };
}

export interface PushOptions {
  /** Test hook: called inside the transaction after the operations are written, before commit. */
  beforeCommit?: () => Promise<void>;
  /** The server's clock (receive and server times); the system clock when not given. */
  clock?: Clock;
}

/**
 * Applies one batch in one transaction. A replayed batch id returns the stored response. If the fast path fails
 * on something other than a transient fault, the batch is applied again operation by operation under savepoints,
 * so a single operation the database refuses is rejected alone.
 */
export async function push(db: ServerDb, ws: Workstation, body: unknown, options: PushOptions = {}): Promise<PushResponse> {
  const b = body as { batch_id?: unknown; ops?: unknown; audit_head?: unknown } | null;
  if (!b || typeof b !== 'object' || typeof b.batch_id !== 'string' || !OP_ID.test(b.batch_id) || !Array.isArray(b.ops))
    throw new PushRequestError(400, 'expected {batch_id, ops[]}');
  if (b.ops.length > LIMITS.pushMaxOps) throw new PushRequestError(413, `at most ${LIMITS.pushMaxOps} operations per batch`);
  const req: BatchRequest = { batch_id: b.batch_id, ops: b.ops as unknown[], auditHead: readAuditHead(b.audit_head) };
  try {
    return await applyBatch(db, ws, req, false, options);
  } catch (error) {
    if (error instanceof AuditForkedError) {
      await recordAuditRefusal(db, ws, error, (options.clock ?? systemClock)().toISOString());
      throw error;
    }
    if (isTransientDbError(error) || error instanceof PushRequestError) throw error;
    return applyBatch(db, ws, req, true, options);
  }
}

type BatchRequest = { batch_id: string; ops: unknown[]; auditHead: AuditHead | null };

async function applyBatch(db: ServerDb, ws: Workstation, req: BatchRequest, isolate: boolean, options: PushOptions): Promise<PushResponse> {
  return db.transaction(async (tx) => {
    const clock = options.clock ?? systemClock;
    const receivedAt = clock().toISOString();
    // The audit head first: a log cut short or rewritten stops the whole batch, replays included (issue 14).
    const auditHead = req.auditHead ? await acknowledgeAuditHead(tx, ws, req.auditHead, receivedAt) : undefined;
    const claim = await tx.query(
      `INSERT INTO sync_batch (workstation_id, batch_id, received_at, op_count) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING batch_id`,
      [ws.id, req.batch_id, receivedAt, req.ops.length],
    );
    if (claim.rowCount === 0) {
      const stored = await tx.query<{ response: string | null }>(
        `SELECT response FROM sync_batch WHERE workstation_id = $1 AND batch_id = $2`,
        [ws.id, req.batch_id],
      );
      const response = stored.rows[0]?.response;
      if (!response) throw new Error('a stored batch without its response');
      const storedResponse = JSON.parse(response) as PushResponse;
      return { ...storedResponse, replayed: true, server_time: clock().toISOString(), ...(auditHead ? { audit_head: auditHead } : {}) };
    }

    const results: OpResult[] = new Array(req.ops.length);
    const generic: Prepared[] = [];
    const bookings: Prepared[] = [];
    const seen = new Set<string>();
    req.ops.forEach((raw, index) => {
      const v = validateOp(raw);
      if (!v.ok) results[index] = v.result;
      else if (seen.has(v.op.op_id)) results[index] = { op_id: v.op.op_id, status: 'duplicate' };
      else {
        seen.add(v.op.op_id);
        // Bookings and their cancellations keep their order in one lane: a cancellation pushed after its booking
        // must meet the booking on the server.
        (BOOKING_LANE.has(v.op.kind) ? bookings : generic).push({ index, op: v.op, payloadText: v.payloadText });
      }
    });

    const changes: ChangeRow[] = [];
    const duplicates: Prepared[] = [];

    if (isolate) {
      for (const p of [...generic, ...bookings]) {
        const changesBefore = changes.length;
        await tx.query('SAVEPOINT op');
        try {
          if (p.op.kind === 'booking.create') await applyBookings(tx, ws, req.batch_id, receivedAt, [p], results, changes, duplicates);
          else {
            const inserted = await insertOps(tx, ws, req.batch_id, receivedAt, [p]);
            if (inserted.has(p.op.op_id)) results[p.index] = await applyDomainOp(tx, ws, p, receivedAt, changes);
            else duplicates.push(p);
          }
          await tx.query('RELEASE SAVEPOINT op');
        } catch (error) {
          if (isTransientDbError(error)) throw error;
          await tx.query('ROLLBACK TO SAVEPOINT op');
          changes.length = changesBefore; // the rolled-back operation's change rows go with it
          results[p.index] = reject(
            p.op.op_id,
            'server-refused',
            `the server could not store this operation: ${(error as Error).message.slice(0, 200)}`,
          );
        }
      }
    } else {
      if (generic.length > 0) {
        const inserted = await insertOps(tx, ws, req.batch_id, receivedAt, generic);
        for (const p of generic) {
          if (inserted.has(p.op.op_id)) results[p.index] = await applyDomainOp(tx, ws, p, receivedAt, changes);
          else duplicates.push(p);
        }
      }
      // Consecutive bookings go in one set-based statement; a cancellation between them keeps its place in the lane.
      let run: Prepared[] = [];
      const flush = async () => {
        if (run.length > 0) await applyBookings(tx, ws, req.batch_id, receivedAt, run, results, changes, duplicates);
        run = [];
      };
      for (const p of bookings) {
        if (p.op.kind === 'booking.create') {
          run.push(p);
          continue;
        }
        await flush();
        const inserted = await insertOps(tx, ws, req.batch_id, receivedAt, [p]);
        if (inserted.has(p.op.op_id)) results[p.index] = await applyDomainOp(tx, ws, p, receivedAt, changes);
        else duplicates.push(p);
      }
      await flush();
    }

    if (duplicates.length > 0) {
      const r = await tx.query<{ op_id: string; status: string; result: string | null; workstation_id: string }>(
        `SELECT op_id, status, result, workstation_id FROM sync_op WHERE op_id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
        [JSON.stringify(duplicates.map((d) => d.op.op_id))],
      );
      const byId = new Map(r.rows.map((row) => [row.op_id, row]));
      for (const d of duplicates) {
        const row = byId.get(d.op.op_id);
        if (row && row.workstation_id !== ws.id && row.workstation_id !== ws.replaces)
          results[d.index] = reject(d.op.op_id, 'op-id-taken', 'another workstation used this op_id');
        else
          results[d.index] = {
            op_id: d.op.op_id,
            status: 'duplicate',
            ...(row?.result ? { original: JSON.parse(row.result) as OpResult } : {}),
          };
      }
    }

    await appendChanges(tx, ws.orgBin, ws.id, changes);
    if (options.beforeCommit) await options.beforeCommit();

    const response: PushResponse = {
      batch_id: req.batch_id,
      received_at: receivedAt,
      server_time: clock().toISOString(),
      replayed: false,
      results,
      ...(auditHead ? { audit_head: auditHead } : {}),
    };
    await tx.query(`UPDATE sync_batch SET response = $3 WHERE workstation_id = $1 AND batch_id = $2`, [
      ws.id,
      req.batch_id,
      JSON.stringify(response),
    ]);
    return response;
  });
}

const BOOKING_LANE = new Set(['booking.create', 'booking.cancel']);

type ChangeRow = { kind: string; key: string; payload: string; deleted?: boolean };

/**
 * Operations the server acts on beyond storing them: e-request answers update what the citizen sees, unless the
 * desk does not hold the e-request (a conflict, kept on the operation so a replay answers the same); a cancelled
 * or moved booking frees its slot; a change of shared state (a person entered by hand, a timetable, a price…)
 * becomes a change-log row every desk of the organization pulls (common/shared-state.ts).
 */
async function applyDomainOp(tx: Sql, ws: Workstation, p: Prepared, receivedAt: string, changes: ChangeRow[]): Promise<OpResult> {
  const applied: OpResult = { op_id: p.op.op_id, status: 'applied' };
  if (p.op.kind === EREQUEST_STATUS_OP) {
    const taken = await applyStatusOp(tx, ws, p.op.payload, receivedAt, changes);
    if (taken) {
      const result: OpResult = { op_id: p.op.op_id, status: 'conflict', server: taken };
      await tx.query(`UPDATE sync_op SET status = 'conflict', result = $2 WHERE op_id = $1`, [p.op.op_id, JSON.stringify(result)]);
      return result;
    }
  } else if (p.op.kind === VERIFICATION_OP) {
    // A document's verification record (issue 19); a bad one is refused alone, the rest of the batch applies.
    try {
      await applyVerificationOp(tx, ws, p.op.payload, receivedAt);
    } catch (error) {
      if (!(error instanceof VerificationOpError)) throw error;
      const result = reject(p.op.op_id, error.code, error.message);
      await tx.query(`UPDATE sync_op SET status = 'rejected', result = $2 WHERE op_id = $1`, [p.op.op_id, JSON.stringify(result)]);
      return result;
    }
  } else if (p.op.kind === 'booking.cancel') {
    const bookingId = (p.op.payload as { booking_id?: unknown } | null)?.booking_id;
    if (typeof bookingId !== 'string') return applied;
    const freed = await tx.query(`DELETE FROM booking WHERE org_bin = $1 AND booking_key = $2 RETURNING id`, [ws.orgBin, bookingId]);
    if (freed.rowCount > 0) changes.push({ kind: 'booking', key: bookingId, payload: 'null', deleted: true });
  } else if (p.op.kind === 'register.rows') {
    for (const r of registerRowsOf(p.op)) changes.push({ kind: r.kind, key: r.key, payload: JSON.stringify(r.payload) });
  } else if (p.op.kind === 'workstation.registers') {
    const enabled = (p.op.payload as { enabled?: unknown } | null)?.enabled === true;
    await tx.query(`UPDATE workstation SET receives_registers = $2 WHERE id = $1`, [ws.id, enabled]);
  } else {
    const shared = sharedRowOf(p.op);
    if (!shared) return applied;
    if (shared.kind === 'organization') await applyProfileOp(tx, ws.orgBin, shared.payload);
    changes.push({ kind: shared.kind, key: shared.key, payload: JSON.stringify(shared.payload), deleted: shared.deleted });
  }
  return applied;
}

async function insertOps(tx: Sql, ws: Workstation, batchId: string, receivedAt: string, ops: Prepared[]): Promise<Set<string>> {
  const rows = ops.map((p) => ({
    op_id: p.op.op_id,
    kind: p.op.kind,
    entity: p.op.entity,
    entity_id: p.op.entity_id,
    payload: p.payloadText,
    device_time: p.op.created_at,
  }));
  const r = await tx.query<{ op_id: string }>(
    `INSERT INTO sync_op (op_id, workstation_id, org_bin, batch_id, kind, entity, entity_id, payload, device_time, received_at, status)
     SELECT x.op_id, $2, $3, $4, x.kind, x.entity, x.entity_id, x.payload, x.device_time, $5, 'applied'
       FROM jsonb_to_recordset($1::jsonb) AS x(op_id text, kind text, entity text, entity_id text, payload text, device_time text)
     ON CONFLICT (op_id) DO NOTHING RETURNING op_id`,
    [JSON.stringify(rows), ws.id, ws.orgBin, batchId, receivedAt],
  );
  return new Set(r.rows.map((row) => row.op_id));
}

/**
 * Bookings, set-based: a fixed number of statements whatever the batch size. The slots are claimed by one INSERT
 * in the batch's order (ON CONFLICT … DO NOTHING: of two bookings of one slot in a batch the first wins, and a
 * slot already taken is lost); one query reads the winners of the lost slots; one UPDATE stores each answer.
 */
async function applyBookings(
  tx: Sql,
  ws: Workstation,
  batchId: string,
  receivedAt: string,
  prepared: Prepared[],
  results: OpResult[],
  changes: ChangeRow[],
  duplicates: Prepared[],
): Promise<void> {
  const inserted = await insertOps(tx, ws, batchId, receivedAt, prepared);
  const fresh: Prepared[] = [];
  for (const p of prepared) (inserted.has(p.op.op_id) ? fresh : duplicates).push(p);
  if (fresh.length === 0) return;
  const bookings = fresh.map((p, ord) => {
    const b = p.op.payload as BookingPayload;
    return { ord, op_id: p.op.op_id, doctor: b.doctor, slot_start: b.slot_start, booking_id: b.booking_id, payload: p.payloadText };
  });
  const won = await tx.query<{ op_id: string }>(
    `INSERT INTO booking (org_bin, doctor, slot_start, booking_key, op_id, workstation_id, payload, confirmed_at)
     SELECT $2, x.doctor, x.slot_start::timestamptz, x.booking_id, x.op_id, $3, x.payload, $4
       FROM jsonb_to_recordset($1::jsonb) AS x(ord int, op_id text, doctor text, slot_start text, booking_id text, payload text)
      ORDER BY x.ord
     ON CONFLICT ON CONSTRAINT booking_one_per_slot DO NOTHING RETURNING op_id`,
    [JSON.stringify(bookings), ws.orgBin, ws.id, receivedAt],
  );
  const winners = new Set(won.rows.map((r) => r.op_id));
  const lost = bookings.filter((b) => !winners.has(b.op_id));
  const holders = new Map<string, { booking_key: string; workstation_id: string; confirmed_at: string }>();
  if (lost.length > 0) {
    const w = await tx.query<{ op_id: string; booking_key: string; workstation_id: string; confirmed_at: string }>(
      `SELECT x.op_id, b.booking_key, b.workstation_id, to_json(b.confirmed_at)#>>'{}' AS confirmed_at
         FROM jsonb_to_recordset($1::jsonb) AS x(op_id text, doctor text, slot_start text)
         JOIN booking b ON b.org_bin = $2 AND b.doctor = x.doctor AND b.slot_start = x.slot_start::timestamptz`,
      [JSON.stringify(lost.map((b) => ({ op_id: b.op_id, doctor: b.doctor, slot_start: b.slot_start }))), ws.orgBin],
    );
    for (const row of w.rows) holders.set(row.op_id, row);
  }
  const answers: Array<{ op_id: string; status: 'applied' | 'conflict'; result: string }> = [];
  for (const p of fresh) {
    const b = p.op.payload as BookingPayload;
    let result: OpResult;
    if (winners.has(p.op.op_id)) {
      result = { op_id: p.op.op_id, status: 'applied', result: { booking_id: b.booking_id, confirmed_at: receivedAt } };
      changes.push({
        kind: 'booking',
        key: b.booking_id,
        // Other desks need the slot, not the patient: no name, IIN or phone leaves for them.
        payload: JSON.stringify({
          booking_id: b.booking_id,
          doctor: b.doctor,
          slot_start: b.slot_start,
          workstation_id: ws.id,
          confirmed_at: receivedAt,
        }),
      });
    } else {
      const winner = holders.get(p.op.op_id);
      result = {
        op_id: p.op.op_id,
        status: 'conflict',
        server: {
          reason: 'slot-taken',
          doctor: b.doctor,
          slot_start: b.slot_start,
          booking_id: winner?.booking_key ?? null,
          workstation_id: winner?.workstation_id ?? null,
          confirmed_at: winner?.confirmed_at ?? null,
        },
      };
    }
    answers.push({ op_id: p.op.op_id, status: result.status as 'applied' | 'conflict', result: JSON.stringify(result) });
    results[p.index] = result;
  }
  await tx.query(
    `UPDATE sync_op s SET status = x.status, result = x.result
       FROM jsonb_to_recordset($1::jsonb) AS x(op_id text, status text, result text) WHERE s.op_id = x.op_id`,
    [JSON.stringify(answers)],
  );
}

export const newBatchId = () => randomUUID();
