/**
 * The audit log's head travels with every push (issue 14): the server keeps the head it acknowledged, and past it
 * this desk shows its own hash of the acknowledged row, so a log cut or rewritten since cannot go unnoticed.
 */
import { randomUUID } from 'node:crypto';
import type { AuditForkedBody, AuditHead, PushResponse } from '../../../common/sync-protocol';
import { auditHashAt, auditHead, GENESIS_HASH } from '../../../db/audit';
import type { Db } from '../../../db/connection';
import { getSyncState, updateSyncState } from '../../../db/sync';
import type { HttpResponse } from './http';
import { SyncBlockedError, type RoundIo } from './round';

/**
 * This log's head, and past the acknowledged head, this log's own hash of the acknowledged row. A missing row sends
 * the genesis hash, which fails.
 */
export function auditHeadToSend(db: Db): AuditHead {
  const head: AuditHead = auditHead(db);
  const ack = getSyncState(db).auditAcknowledged;
  if (ack && head.seq > ack.seq) head.acknowledged = { seq: ack.seq, hash: auditHashAt(db, ack.seq) ?? GENESIS_HASH };
  return head;
}

/**
 * Posts a push whose body carries the audit head, and records the head the server acknowledged. A 409
 * `audit-forked` naming an acknowledged head this desk did not know (it was enrolled again, or its state was
 * reset) is answered once more with this log's own hash of that row: an intact log passes, a cut one is refused
 * again, and then the round stops with the server's reason. Statuses in `unchecked` come back to the caller as they
 * are (a 413: the batch is split).
 */
export async function postWithAuditHead(
  io: RoundIo,
  body: (head: AuditHead) => string,
  options: { unchecked?: number[] } = {},
): Promise<{ res: HttpResponse; sentAt: number }> {
  for (let attempt = 0; ; attempt++) {
    const known = getSyncState(io.db).auditAcknowledged;
    const sentAt = io.clock().getTime();
    const res = await io.send('POST', '/v1/sync/push', body(auditHeadToSend(io.db)));
    if (res.status === 409) {
      const refusal = auditForkedOf(res.body);
      if (refusal) {
        const learned = refusal.acknowledged && (refusal.acknowledged.seq !== known?.seq || refusal.acknowledged.hash !== known?.hash);
        // Keep the head the server acknowledged: verify-audit compares with it.
        if (refusal.acknowledged) updateSyncState(io.db, { auditAcknowledged: refusal.acknowledged });
        if (learned && attempt === 0) continue;
        io.log.error('sync.audit-forked', { message: refusal.message, acknowledged: refusal.acknowledged });
        throw new SyncBlockedError('audit-forked', `the central server refused this workstation's audit log: ${refusal.message}`);
      }
    }
    if (options.unchecked?.includes(res.status)) return { res, sentAt };
    io.check(res);
    const answer = JSON.parse(res.body) as PushResponse;
    if (answer.audit_head) updateSyncState(io.db, { auditAcknowledged: answer.audit_head, auditForked: null });
    return { res, sentAt };
  }
}

/**
 * Nothing queued, but the audit log grew (a log-in, a look-up…): its head goes up alone, so rows written since the
 * last push cannot be cut before the next one without the server noticing.
 */
export async function pushAuditHeadAlone(io: RoundIo): Promise<void> {
  const head = auditHeadToSend(io.db);
  const acknowledged = getSyncState(io.db).auditAcknowledged;
  if (head.seq <= (acknowledged?.seq ?? 0)) return;
  const batchId = randomUUID();
  await postWithAuditHead(io, (h) => `{"batch_id":${JSON.stringify(batchId)},"ops":[],"audit_head":${JSON.stringify(h)}}`);
}

function auditForkedOf(body: string): AuditForkedBody | null {
  try {
    const refusal = JSON.parse(body) as AuditForkedBody;
    return refusal?.error === 'audit-forked' ? refusal : null;
  } catch {
    return null;
  }
}
