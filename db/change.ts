/**
 * One registrar action = one short IMMEDIATE transaction holding the domain rows, the audit entry and (when the
 * change must reach the centre) the outbox operation. Either all three are on disk, or none.
 */
import { appendAudit, type Actor, type AuditEntry } from './audit';
import type { Db } from './connection';
import { enqueueOutbox, type OutboxOp } from './outbox';

export interface ChangeRecord<T> {
  audit: AuditEntry | ((result: T) => AuditEntry);
  outbox?: OutboxOp | ((result: T) => OutboxOp | null);
}

export function recordChange<T>(db: Db, actor: Actor, at: Date, apply: () => T, record: ChangeRecord<T>): T {
  return db
    .transaction(() => {
      const result = apply();
      appendAudit(db, actor, typeof record.audit === 'function' ? record.audit(result) : record.audit, at);
      const op = typeof record.outbox === 'function' ? record.outbox(result) : record.outbox;
      if (op) enqueueOutbox(db, op, at);
      return result;
    })
    .immediate();
}
