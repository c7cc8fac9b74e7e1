/**
 * The audit-log head each workstation pushes with its batches (issue 14, point 4). The workstation's audit log is
 * hash-chained, which catches an edited row, but not a log edited and re-hashed from some row on, nor one whose
 * last rows were deleted. The server remembers the head it last acknowledged per workstation and refuses a batch
 * whose head goes backwards (a lower sequence: rows were cut) or forks (the same sequence with another hash, or a
 * longer log whose row at the acknowledged sequence no longer has the acknowledged hash: rows were rewritten).
 * A refused batch is not applied (HTTP 409 `audit-forked`); the refusal is kept in `audit_head_refusal`.
 */
import type { AuditForkedBody, AuditHead } from '../common/sync-protocol';
import type { Sql } from './db';
import type { Workstation } from './enrollment';
import { PushRequestError } from './push';

const HASH = /^[0-9a-f]{64}$/;

type Head = { seq: number; hash: string };

export class AuditForkedError extends Error {
  constructor(
    message: string,
    readonly reason: 'backwards' | 'forked' | 'unanchored',
    readonly acknowledged: Head | null,
    readonly offered: AuditHead,
  ) {
    super(message);
  }

  body(): AuditForkedBody {
    return { error: 'audit-forked', message: this.message, acknowledged: this.acknowledged };
  }
}

function readHead(raw: unknown, field: string): Head {
  const h = raw as { seq?: unknown; hash?: unknown } | null;
  if (!h || typeof h !== 'object') throw new PushRequestError(400, `${field}: expected {seq, hash}`);
  if (typeof h.seq !== 'number' || !Number.isSafeInteger(h.seq) || h.seq < 0)
    throw new PushRequestError(400, `${field}.seq: expected a non-negative integer`);
  if (typeof h.hash !== 'string' || !HASH.test(h.hash)) throw new PushRequestError(400, `${field}.hash: expected 64 hex digits`);
  return { seq: h.seq, hash: h.hash };
}

/** The push body's optional `audit_head`, checked for shape; null when the workstation sent none (older Tirkeu). */
export function readAuditHead(raw: unknown): AuditHead | null {
  if (raw === undefined || raw === null) return null;
  const head: AuditHead = readHead(raw, 'audit_head');
  const ack = (raw as { acknowledged?: unknown }).acknowledged;
  if (ack !== undefined && ack !== null) head.acknowledged = readHead(ack, 'audit_head.acknowledged');
  return head;
}

/** The head the server acknowledged for this workstation (or the one it replaced: the same desk enrolled again). */
export async function acknowledgedHead(tx: Sql, ws: Workstation, forUpdate = false): Promise<Head | null> {
  const ids = ws.replaces ? [ws.id, ws.replaces] : [ws.id];
  for (const id of ids) {
    const r = await tx.query<{ seq: string | number; hash: string }>(
      `SELECT seq, hash FROM workstation_audit_head WHERE workstation_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    if (r.rows[0]) return { seq: Number(r.rows[0].seq), hash: r.rows[0].hash };
  }
  return null;
}

/**
 * Checks the offered head against the acknowledged one and, when it holds, acknowledges it. Throws
 * AuditForkedError (the caller's transaction rolls back) when the log went backwards or forked.
 */
export async function acknowledgeAuditHead(tx: Sql, ws: Workstation, offered: AuditHead, at: string): Promise<Head> {
  const ack = await acknowledgedHead(tx, ws, true);
  if (ack) {
    if (offered.seq < ack.seq)
      throw new AuditForkedError(
        `the audit log ends at ${offered.seq} but the server acknowledged ${ack.seq}: entries were deleted`,
        'backwards',
        ack,
        offered,
      );
    if (offered.seq === ack.seq && offered.hash !== ack.hash)
      throw new AuditForkedError(
        `audit entry ${ack.seq}'s hash differs from the one the server acknowledged: the log was rewritten`,
        'forked',
        ack,
        offered,
      );
    if (offered.seq > ack.seq) {
      if (!offered.acknowledged || offered.acknowledged.seq !== ack.seq)
        throw new AuditForkedError(
          `the push does not show audit entry ${ack.seq}, the one the server acknowledged; sync again to receive it`,
          'unanchored',
          ack,
          offered,
        );
      if (offered.acknowledged.hash !== ack.hash)
        throw new AuditForkedError(
          `audit entry ${ack.seq}'s hash differs from the one the server acknowledged: the log was rewritten`,
          'forked',
          ack,
          offered,
        );
    }
  }
  const next = ack && ack.seq === offered.seq ? ack : { seq: offered.seq, hash: offered.hash };
  await tx.query(
    `INSERT INTO workstation_audit_head (workstation_id, seq, hash, acknowledged_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (workstation_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, acknowledged_at = excluded.acknowledged_at`,
    [ws.id, next.seq, next.hash, at],
  );
  return next;
}

/** Keeps a refused head as evidence (outside the refused batch's transaction, which rolled back). */
export async function recordAuditRefusal(db: Sql, ws: Workstation, error: AuditForkedError, at: string): Promise<void> {
  await db.query(
    `INSERT INTO audit_head_refusal (workstation_id, org_bin, refused_at, reason, acknowledged, offered) VALUES ($1, $2, $3, $4, $5, $6)`,
    [ws.id, ws.orgBin, at, error.reason, error.acknowledged ? JSON.stringify(error.acknowledged) : null, JSON.stringify(error.offered)],
  );
}
