/** The outbox: operations for the central server, appended in the same transaction as the change itself. */
import { randomUUID } from 'node:crypto';
import type { Db } from './connection';
import { statementCache } from './statements';

export interface OutboxOp {
  kind: string;
  entity: string;
  entityId: string | number;
  payload: unknown;
}

// Every recorded change appends one: prepared once per connection.
const statements = statementCache((db: Db) => ({
  insert: db.prepare(`INSERT INTO outbox (op_id, kind, entity, entity_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
}));

export function enqueueOutbox(db: Db, op: OutboxOp, at: Date): string {
  const opId = randomUUID();
  statements.get(db).insert.run(opId, op.kind, op.entity, String(op.entityId), JSON.stringify(op.payload), at.toISOString());
  return opId;
}

export interface OutboxRow {
  id: number;
  opId: string;
  kind: string;
  entity: string;
  entityId: string;
  payload: unknown;
  createdAt: string;
  status: string;
}

export function listOutbox(db: Db, status?: string): OutboxRow[] {
  const rows = db
    .prepare(`SELECT * FROM outbox WHERE (@status IS NULL OR status = @status) ORDER BY id`)
    .all({ status: status ?? null }) as Array<Record<string, any>>;
  return rows.map((r) => ({
    id: r.id,
    opId: r.op_id,
    kind: r.kind,
    entity: r.entity,
    entityId: r.entity_id,
    payload: JSON.parse(r.payload),
    createdAt: r.created_at,
    status: r.status,
  }));
}

export function countPendingOutbox(db: Db): number {
  return (db.prepare(`SELECT count(*) AS n FROM outbox WHERE status IN ('pending','claimed')`).get() as { n: number }).n;
}

/**
 * Deletes operations made before `before` (by the desk's own clock) that the server answered as applied or
 * duplicate: the server has them and the desk's tables hold their effect. Rejected and conflicting ones stay with
 * their sync issues. Returns how many were deleted.
 */
export function pruneOutbox(db: Db, before: Date): number {
  return db.prepare(`DELETE FROM outbox WHERE status IN ('applied','duplicate') AND created_at < ?`).run(before.toISOString()).changes;
}
