/**
 * The append-only, hash-chained audit log.
 *
 * Each row's hash covers the previous row's hash and the row's own fields (id included, so rows cannot be
 * reordered). Triggers refuse UPDATE and DELETE; someone who edits the file directly (or drops the triggers)
 * breaks the chain, and `verifyAudit` names the first row whose hash no longer matches.
 */
import { createHash } from 'node:crypto';
import { withReadOnlyConnection, type Db } from './connection';
import { statementCache } from './statements';

export const GENESIS_HASH = '0'.repeat(64);

export interface Actor {
  staffId: number | null;
  login: string;
  role: string;
}

export const SYSTEM_ACTOR: Actor = { staffId: null, login: 'system', role: 'system' };

export interface AuditEntry {
  action: string;
  entity?: string | null;
  entityId?: string | number | null;
  /** Never passwords, PINs, tokens, or the identity of an anonymous HIV client. */
  details?: Record<string, unknown>;
}

interface AuditRow {
  id: number;
  at: string;
  staff_id: number | null;
  staff_login: string;
  role: string;
  action: string;
  entity: string | null;
  entity_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** The hash of one row over the previous row's hash (exported for tests that rewrite and re-hash a log as an attacker would). */
export function auditRowHash(prevHash: string, r: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  const canonical = JSON.stringify([r.id, r.at, r.staff_id, r.staff_login, r.role, r.action, r.entity, r.entity_id, r.details]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

const prepared = statementCache((db: Db) => ({
  last: db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1'),
  insert: db.prepare(
    `INSERT INTO audit_log (id, at, staff_id, staff_login, role, action, entity, entity_id, details, prev_hash, hash)
     VALUES (@id, @at, @staff_id, @staff_login, @role, @action, @entity, @entity_id, @details, @prev_hash, @hash)`,
  ),
})).get;

/** Appends one entry. Call inside the transaction of the change it records. */
export function appendAudit(db: Db, actor: Actor, entry: AuditEntry, at: Date): number {
  const s = prepared(db);
  const last = s.last.get() as { id: number; hash: string } | undefined;
  const row = {
    id: (last?.id ?? 0) + 1,
    at: at.toISOString(),
    staff_id: actor.staffId,
    staff_login: actor.login,
    role: actor.role,
    action: entry.action,
    entity: entry.entity ?? null,
    entity_id: entry.entityId == null ? null : String(entry.entityId),
    details: JSON.stringify(entry.details ?? {}),
  };
  const prev_hash = last?.hash ?? GENESIS_HASH;
  s.insert.run({ ...row, prev_hash, hash: auditRowHash(prev_hash, row) });
  return row.id;
}

export type AuditVerdict =
  { ok: true; rows: number } | { ok: false; rows: number; brokenAt: number; reason: 'hash-mismatch' | 'prev-hash-mismatch' | 'gap' };

/** Walks the whole chain in id order; stops at the first broken link. */
export function verifyAudit(db: Db): AuditVerdict {
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let rows = 0;
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditRow>) {
    if (r.id !== expectedId) return { ok: false, rows, brokenAt: expectedId, reason: 'gap' };
    if (r.prev_hash !== prevHash) return { ok: false, rows, brokenAt: r.id, reason: 'prev-hash-mismatch' };
    if (auditRowHash(prevHash, r) !== r.hash) return { ok: false, rows, brokenAt: r.id, reason: 'hash-mismatch' };
    prevHash = r.hash;
    expectedId++;
    rows++;
  }
  return { ok: true, rows };
}

/**
 * The same walk through a read-only connection of its own, for a worker thread (electron/services/admin/
 * maintenance-worker.ts): one snapshot of the log, while the desk's connection goes on appending to it.
 */
export function verifyAuditFile(file: string): AuditVerdict {
  return withReadOnlyConnection(file, verifyAudit);
}

/** The newest row's id and hash (id 0 and the genesis hash for an empty log): what a sync push reports. */
export function auditHead(db: Db): { seq: number; hash: string } {
  const last = prepared(db).last.get() as { id: number; hash: string } | undefined;
  return last ? { seq: last.id, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
}

/** The stored hash of row `seq` (the genesis hash for 0), or null when there is no such row. */
export function auditHashAt(db: Db, seq: number): string | null {
  if (seq === 0) return GENESIS_HASH;
  const r = db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(seq) as { hash: string } | undefined;
  return r?.hash ?? null;
}

export type AuditAgainstServer =
  | { ok: true }
  | { ok: false; problem: 'truncated'; endsAt: number; acknowledged: number; message: string }
  | { ok: false; problem: 'rehashed'; row: number; message: string };

/**
 * Compares the local log with the head the central server last acknowledged (issue 14). A chain can be intact
 * and still wrong: cut short (its last rows deleted) or edited and re-hashed from some row on. The server's
 * acknowledged head catches both: the log must reach it, and its row there must still have the acknowledged hash.
 */
export function checkAgainstAcknowledged(db: Db, acknowledged: { seq: number; hash: string }): AuditAgainstServer {
  const head = auditHead(db);
  if (head.seq < acknowledged.seq)
    return {
      ok: false,
      problem: 'truncated',
      endsAt: head.seq,
      acknowledged: acknowledged.seq,
      message: `truncation: the log ends at ${head.seq} but the server acknowledged ${acknowledged.seq}`,
    };
  const hash = auditHashAt(db, acknowledged.seq);
  if (hash !== acknowledged.hash)
    return {
      ok: false,
      problem: 'rehashed',
      row: acknowledged.seq,
      message: `re-hashing: row ${acknowledged.seq}'s hash differs from the one the server acknowledged`,
    };
  return { ok: true };
}

export interface AuditRecord {
  id: number;
  at: string;
  staffId: number | null;
  login: string;
  role: string;
  action: string;
  entity: string | null;
  entityId: string | null;
  details: Record<string, unknown>;
}

export function listAudit(db: Db, opts: { entity?: string; entityId?: string; limit?: number } = {}): AuditRecord[] {
  const rows = db
    .prepare(
      `SELECT * FROM audit_log
       WHERE (@entity IS NULL OR entity = @entity) AND (@entityId IS NULL OR entity_id = @entityId)
       ORDER BY id DESC LIMIT @limit`,
    )
    .all({ entity: opts.entity ?? null, entityId: opts.entityId ?? null, limit: opts.limit ?? 100 }) as AuditRow[];
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    staffId: r.staff_id,
    login: r.staff_login,
    role: r.role,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}
