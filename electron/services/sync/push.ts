/**
 * The push phase: the outbox in batches until it is empty. A batch is claimed (its id saved) before it is sent, so
 * after a crash the same batch goes again as it is and the server answers with its stored response. Batches shrink
 * when the server refuses one as too large.
 */
import type { PushResponse } from '../../../common/sync-protocol';
import { claimBatch, countQueued, recordPushResults, releaseBatch, type PushOutcome } from '../../../db/sync';
import { postWithAuditHead } from './audit-head';
import { SyncBlockedError, yieldToEventLoop, type RoundIo } from './round';

export interface BatchSizing {
  /** Operations per batch; halved after a 413 and kept for the engine's next rounds. */
  ops: number;
  bytes: number;
}

export async function pushQueued(io: RoundIo, sizing: BatchSizing, pushed: PushOutcome): Promise<void> {
  const { db, clock } = io;
  const total = countQueued(db);
  let done = 0;
  io.progress({ phase: 'push', done, total });
  for (;;) {
    const batch = claimBatch(db, sizing.ops, sizing.bytes, clock());
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
    const outcome = recordPushResults(db, batch.batchId, answer.results, answer.received_at, clock());
    for (const k of Object.keys(outcome) as Array<keyof PushOutcome>) pushed[k] += outcome[k];
    done += batch.ops.length;
    io.progress({ phase: 'push', done, total: Math.max(total, done) });
    io.markOnline();
    await yieldToEventLoop();
  }
}
