/**
 * The push phase: the outbox in batches until it is empty. A batch is claimed (its id saved) before it is sent, so
 * after a crash the same batch goes again as it is and the server answers with its stored response. Batches shrink
 * when the server refuses one as too large.
 *
 * Claiming a batch and recording the server's answer run a slice at a time (db/sync-slices.ts), with the event loop
 * free between slices: a batch of thousands of operations never holds the desk's API calls for long.
 */
import type { PushResponse } from '../../../common/sync-protocol';
import { countQueued, releaseBatch, type ClaimedBatch, type PushOutcome } from '../../../db/sync';
import { claimedEarlier, claimSlice, recordResultSlice, settleBatchAlone } from '../../../db/sync-slices';
import { postWithAuditHead } from './audit-head';
import { SyncBlockedError, type RoundIo } from './round';
import { SliceSizer, yieldToEventLoop } from './slices';

export interface BatchSizing {
  /** Operations per batch; halved after a 413 and kept for the engine's next rounds. */
  ops: number;
  bytes: number;
}

export async function pushQueued(io: RoundIo, sizing: BatchSizing, pushed: PushOutcome): Promise<void> {
  const { db, clock } = io;
  const total = countQueued(db);
  const claiming = new SliceSizer();
  const recording = new SliceSizer();
  let done = 0;
  io.progress({ phase: 'push', done, total });
  for (;;) {
    const batch = await claimInSlices(io, sizing, claiming);
    if (!batch) break;
    if (batch.ops.length === 0) {
      releaseBatch(db, batch.batchId);
      continue;
    }
    // The payloads are stored as JSON text: spliced in as they are, not parsed and serialized again.
    const ops = batch.ops
      .map(
        (o) =>
          `{"op_id":${JSON.stringify(o.op_id)},"kind":${JSON.stringify(o.kind)},"entity":${JSON.stringify(o.entity)},"entity_id":${JSON.stringify(o.entity_id)},"payload":${o.payload},"created_at":${JSON.stringify(o.created_at)}}`,
      )
      .join(',');
    const { res, sentAt } = await postWithAuditHead(
      io,
      (head) => `{"batch_id":${JSON.stringify(batch.batchId)},"ops":[${ops}],"audit_head":${JSON.stringify(head)}}`,
      { unchecked: [413] },
    );
    if (res.status === 413) {
      // The server refused the batch unread: give it back and try smaller ones.
      releaseBatch(db, batch.batchId);
      if (sizing.ops === 1) throw new SyncBlockedError('server-error', 'the server refuses even a single operation as too large');
      sizing.ops = Math.max(1, Math.floor(batch.ops.length / 2));
      continue;
    }
    const answer = JSON.parse(res.body) as PushResponse;
    io.serverTime(answer.server_time, sentAt);
    for (let i = 0; i < answer.results.length;) {
      await yieldToEventLoop();
      const slice = answer.results.slice(i, i + recording.next());
      recordResultSlice(db, batch.batchId, slice, answer.received_at, clock(), pushed, recording.timer(slice.length));
      i += slice.length;
    }
    settleBatchAlone(db, batch.batchId);
    done += batch.ops.length;
    io.progress({ phase: 'push', done, total: Math.max(total, done) });
    io.markOnline();
    await yieldToEventLoop();
  }
}

/**
 * The next batch: the one claimed earlier and not answered (sent again exactly as it was), or a new one claimed a
 * slice at a time up to the batch's size. Null when nothing is queued.
 */
async function claimInSlices(io: RoundIo, sizing: BatchSizing, sizer: SliceSizer): Promise<ClaimedBatch | null> {
  const { db, clock } = io;
  const earlier = claimedEarlier(db);
  if (earlier) return earlier;
  let batch: ClaimedBatch | null = null;
  let bytes = 0;
  for (;;) {
    const want = Math.min(sizer.next(), sizing.ops - (batch?.ops.length ?? 0));
    const slice = claimSlice(db, batch?.batchId ?? null, want, sizing.bytes - bytes, clock(), sizer.timer(want));
    if (!slice) break;
    batch ??= { batchId: slice.batchId, ops: [], resent: false };
    batch.ops.push(...slice.ops);
    bytes += slice.bytes;
    if (slice.full || slice.ops.length < want || batch.ops.length >= sizing.ops) break;
    await yieldToEventLoop();
  }
  return batch;
}
