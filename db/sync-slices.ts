/**
 * The sync engine's work a slice at a time (issue 18, goal 4): each function here is one short transaction, so the
 * main process can answer the desk's API calls between slices (electron/services/sync/slices.ts sizes them).
 * Crash safety is kept slice by slice:
 *  - claiming: the batch row and the operations it holds grow together, one slice per transaction; a crash between
 *    slices leaves a smaller batch, which is sent again as it is (claimBatch's resend path);
 *  - recording an answer: each slice marks its operations answered; a crash between slices resends the operations
 *    still claimed, and the server answers a replayed batch with its stored response, of which the operations
 *    already answered are skipped;
 *  - applying a pulled page: the page is staged with its first slice, each slice stores how far the page got, and
 *    the last one moves the cursor past the page and drops it. After a crash the staged page is finished from where
 *    it stopped, before anything else is pulled: no row is lost or applied twice, and the server is never asked for
 *    the page again (a snapshot page could come back different).
 */
import { randomUUID } from 'node:crypto';
import type { OpResult, PulledRow } from '../common/sync-protocol';
import type { Db } from './connection';
import { getSetting, setSetting } from './settings';
import {
  applyPulledRows,
  claimedOps,
  recordResults,
  settleBatch,
  type ClaimedBatch,
  type ClaimedOp,
  type PageApplied,
  type PushOutcome,
} from './sync';

/** Runs a slice's row work; the engine's sizer times it. */
export type Timed = <T>(work: () => T) => T;
const untimed: Timed = (work) => work();

// ---------------------------------------------------------------------------------------------------------------
// Push

/** The batch claimed earlier and not answered yet (a failed send, a crash), to be sent again as it is; or null. */
export function claimedEarlier(db: Db): ClaimedBatch | null {
  return db
    .transaction((): ClaimedBatch | null => {
      const existing = db.prepare(`SELECT batch_id FROM sync_batch ORDER BY claimed_at LIMIT 1`).get() as { batch_id: string } | undefined;
      if (!existing) return null;
      db.prepare(`UPDATE sync_batch SET attempts = attempts + 1 WHERE batch_id = ?`).run(existing.batch_id);
      return { batchId: existing.batch_id, ops: claimedOps(db, existing.batch_id), resent: true };
    })
    .immediate();
}

export interface ClaimedSlice {
  batchId: string;
  ops: ClaimedOp[];
  bytes: number;
  /** The batch reached its byte budget: nothing more fits. */
  full: boolean;
}

/**
 * Claims up to `maxOps` more pending operations for a batch (a new one when `batchId` is null) within `bytesLeft`
 * of payload. Null when nothing is pending. A new batch always takes at least one operation.
 */
export function claimSlice(
  db: Db,
  batchId: string | null,
  maxOps: number,
  bytesLeft: number,
  at: Date,
  timed: Timed = untimed,
): ClaimedSlice | null {
  return db
    .transaction(() =>
      timed((): ClaimedSlice | null => {
        const candidates = db
          .prepare(`SELECT id, length(payload) AS bytes FROM outbox WHERE status = 'pending' ORDER BY id LIMIT ?`)
          .all(maxOps) as Array<{ id: number; bytes: number }>;
        if (candidates.length === 0) return null;
        let bytes = 0;
        let lastId: number | null = null;
        for (const c of candidates) {
          // The same per-operation allowance as claimBatch: the envelope around each payload.
          if ((batchId !== null || lastId !== null) && bytes + c.bytes + 200 > bytesLeft) break;
          bytes += c.bytes + 200;
          lastId = c.id;
        }
        if (lastId === null) return { batchId: batchId!, ops: [], bytes: 0, full: true };
        const id = batchId ?? randomUUID();
        const firstId = candidates[0]!.id;
        const n = db
          .prepare(`UPDATE outbox SET status = 'claimed', batch_id = ? WHERE status = 'pending' AND id BETWEEN ? AND ?`)
          .run(id, firstId, lastId).changes;
        db.prepare(
          `INSERT INTO sync_batch (batch_id, claimed_at, ops, bytes, attempts) VALUES (?, ?, ?, ?, 1)
         ON CONFLICT (batch_id) DO UPDATE SET ops = ops + excluded.ops, bytes = bytes + excluded.bytes`,
        ).run(id, at.toISOString(), n, bytes);
        const ops = db
          .prepare(
            `SELECT op_id, kind, entity, entity_id, payload, created_at FROM outbox
            WHERE id BETWEEN ? AND ? AND batch_id = ? AND status = 'claimed' ORDER BY id`,
          )
          .all(firstId, lastId, id) as ClaimedOp[];
        return { batchId: id, ops, bytes, full: lastId !== candidates[candidates.length - 1]!.id };
      }),
    )
    .immediate();
}

/** Records a slice of the server's answer to a batch (db/sync.ts recordResults). */
export function recordResultSlice(
  db: Db,
  batchId: string,
  results: OpResult[],
  receivedAt: string,
  at: Date,
  outcome: PushOutcome,
  timed: Timed = untimed,
): void {
  db.transaction(() => timed(() => recordResults(db, batchId, results, receivedAt, at, outcome))).immediate();
}

/** The whole answer is recorded: what the server did not mention goes back to the queue, the batch is done. */
export function settleBatchAlone(db: Db, batchId: string): void {
  db.transaction(() => settleBatch(db, batchId)).immediate();
}

// ---------------------------------------------------------------------------------------------------------------
// Pull

const PAGE = 'sync.pullPage';
const PAGE_APPLIED = 'sync.pullPageApplied';

/** A pulled page staged by a slice, as the server sent it. */
export interface StagedPage {
  rows: PulledRow[];
  cursor: string;
}

/** The page a crash left half applied, and how many of its rows are applied; null when there is none. */
export function stagedPage(db: Db): { page: StagedPage; applied: number } | null {
  const page = getSetting<StagedPage>(db, PAGE);
  if (!page) return null;
  return { page, applied: getSetting<number>(db, PAGE_APPLIED) ?? 0 };
}

export interface PulledSlice {
  /** The page's rows from `from` (exclusive of those before it) to `to`. */
  rows: PulledRow[];
  /** Where this slice ends in its page, and the page's length: the last slice moves the cursor. */
  to: number;
  total: number;
  /** The cursor past the whole page. */
  cursor: string;
  /** The first slice of a page with more slices to come stages the page's text (the server's answer, JSON). */
  stage?: string;
}

/** Applies one slice of a pulled page, with the page's progress (or, for its last slice, the page's cursor). */
export function applyPulledSlice(db: Db, slice: PulledSlice, at: Date, timed: Timed = untimed): PageApplied {
  const applied: PageApplied = { shared: {}, heldBack: 0, bookings: 0 };
  db.transaction(() => {
    // The server's answer is JSON already: stored as it is, not serialized again.
    if (slice.stage !== undefined)
      db.prepare(`INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(
        PAGE,
        slice.stage,
      );
    timed(() => applyPulledRows(db, slice.rows, at, applied));
    if (slice.to >= slice.total) {
      setSetting(db, 'sync.cursor', slice.cursor);
      db.prepare(`DELETE FROM setting WHERE key IN (?, ?)`).run(PAGE, PAGE_APPLIED);
    } else setSetting(db, PAGE_APPLIED, slice.to);
  }).immediate();
  return applied;
}
