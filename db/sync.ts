/**
 * Why one file of a little over 400 lines: it holds every table the sync protocol writes on the workstation
 * (sync_batch, outbox status, sync_reference, sync_issue, booking), and recording one server answer
 * (`recordResults`) updates the outbox, the issues and the bookings together, so those sections read best side by
 * side.
 *
 * The workstation's side of sync, in SQL: enrollment and sync state (in `setting`, keys `sync.*`), claiming
 * outbox batches, recording the server's per-operation results, applying pulled pages with their cursor, the
 * sync issues list and provisional bookings. Every function is one short transaction; the sync engine uses the sliced forms in db/sync-slices.ts.
 */
import { randomUUID } from 'node:crypto';
import type { OpResult, PulledRow } from '../common/sync-protocol';
import type { Actor } from './audit';
import { recordChange } from './change';
import type { Db } from './connection';
import { getSetting, setSetting } from './settings';
import { SHARED_KINDS, type SharedKind } from '../common/shared-state';
import { applyRemoteBooking, applySharedRow, pendingSharedKeys } from './shared-state';
import { statementCache } from './statements';

// ---------------------------------------------------------------------------------------------------------------
// Enrollment and state

export interface SyncEnrollment {
  serverUrl: string;
  workstationId: string;
  orgBin: string;
  enrolledAt: string;
}

/**
 * The secret credential lives in `setting` under its own key, SEALED (electron/services/secrets.ts): this module
 * stores and returns the sealed text only; it is never returned by status calls or logged.
 */
export const CREDENTIAL_KEY = 'sync.credential';

export function getEnrollment(db: Db): SyncEnrollment | null {
  return getSetting<SyncEnrollment>(db, 'sync.enrollment') ?? null;
}

/** The sealed credential (open it with the application's SecretBox: sync/credential.ts). */
export function getSealedCredential(db: Db): string | null {
  return getSetting<string>(db, CREDENTIAL_KEY) ?? null;
}

/**
 * A new enrollment starts from an empty cursor and state: reference data is pulled again from the start. Enrolled
 * again with the same server, the audit head it acknowledged is learnt back from its first answer
 * (electron/services/sync/audit-head.ts).
 */
export function saveEnrollment(db: Db, enrollment: SyncEnrollment, sealedCredential: string): void {
  db.transaction(() => {
    setSetting(db, 'sync.enrollment', enrollment);
    setSetting(db, CREDENTIAL_KEY, sealedCredential);
    db.prepare(`DELETE FROM setting WHERE key IN ('sync.cursor', 'sync.state', 'sync.pullPage', 'sync.pullPageApplied')`).run();
  }).immediate();
}

/**
 * True when this desk holds records of its organization that are not only demo or reference data: anything queued
 * or sent to a server, or any service request. Such a desk never joins another organization.
 */
export function holdsOrganizationData(db: Db): boolean {
  return !!db.prepare(`SELECT 1 FROM outbox UNION ALL SELECT 1 FROM service_request LIMIT 1`).get();
}

export interface SyncState {
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  /** Server time minus local time, ms, measured at the last exchange. */
  clockSkewMs: number | null;
  /** The server answered 426: this workstation must be updated. */
  updateRequired: string | null;
  /** The server refused the credential (revoked). */
  unauthorized: boolean;
  /** Pull progress of the current or last catch-up. */
  pullPosition: number | null;
  pullHead: number | null;
  /** The audit-log head the central server last acknowledged (issue 14): `tirkeu verify-audit` checks against it. */
  auditAcknowledged: { seq: number; hash: string } | null;
  /** The server refused this workstation's audit head (its log was cut or rewritten): why, as it said. */
  auditForked: string | null;
  /** The stored credential cannot be opened (its key is missing or another): why, as the secret box said. */
  secretsUnavailable: string | null;
}

const EMPTY_STATE: SyncState = {
  lastSuccessAt: null,
  lastAttemptAt: null,
  lastError: null,
  clockSkewMs: null,
  updateRequired: null,
  unauthorized: false,
  pullPosition: null,
  pullHead: null,
  auditAcknowledged: null,
  auditForked: null,
  secretsUnavailable: null,
};

export function getSyncState(db: Db): SyncState {
  return { ...EMPTY_STATE, ...(getSetting<Partial<SyncState>>(db, 'sync.state') ?? {}) };
}

export function updateSyncState(db: Db, patch: Partial<SyncState>): SyncState {
  const next = { ...getSyncState(db), ...patch };
  setSetting(db, 'sync.state', next);
  return next;
}

/** The next pull starts from the organization's current state (a snapshot), as a new desk's does. */
export function resetCursor(db: Db): void {
  // A page half applied when the cursor was reset is dropped with it (db/sync-slices.ts).
  db.prepare(`DELETE FROM setting WHERE key IN ('sync.cursor', 'sync.pullPage', 'sync.pullPageApplied')`).run();
}

export function getCursor(db: Db): string | null {
  return getSetting<string>(db, 'sync.cursor') ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Push: claim, record results

export interface ClaimedOp {
  op_id: string;
  kind: string;
  entity: string;
  entity_id: string;
  /** JSON text, sent as is. */
  payload: string;
  created_at: string;
}

export interface ClaimedBatch {
  batchId: string;
  ops: ClaimedOp[];
  /** True when this batch was claimed earlier (a previous attempt or a crash) and is being sent again. */
  resent: boolean;
}

/**
 * The batch to send: the one already claimed if there is one (sent again exactly as it was), otherwise up to
 * `maxOps` pending operations within `maxBytes` of payload, claimed under a new batch id in one transaction.
 */
export function claimBatch(db: Db, maxOps: number, maxBytes: number, at: Date): ClaimedBatch | null {
  return db
    .transaction((): ClaimedBatch | null => {
      const existing = db.prepare(`SELECT batch_id FROM sync_batch ORDER BY claimed_at LIMIT 1`).get() as { batch_id: string } | undefined;
      if (existing) {
        db.prepare(`UPDATE sync_batch SET attempts = attempts + 1 WHERE batch_id = ?`).run(existing.batch_id);
        return { batchId: existing.batch_id, ops: claimedOps(db, existing.batch_id), resent: true };
      }
      const candidates = db
        .prepare(`SELECT id, length(payload) AS bytes FROM outbox WHERE status = 'pending' ORDER BY id LIMIT ?`)
        .all(maxOps) as Array<{ id: number; bytes: number }>;
      if (candidates.length === 0) return null;
      let bytes = 0;
      let lastId = candidates[0]!.id;
      for (const c of candidates) {
        if (bytes > 0 && bytes + c.bytes + 200 > maxBytes) break;
        bytes += c.bytes + 200;
        lastId = c.id;
      }
      const batchId = randomUUID();
      const n = db
        .prepare(`UPDATE outbox SET status = 'claimed', batch_id = ? WHERE status = 'pending' AND id <= ?`)
        .run(batchId, lastId).changes;
      db.prepare(`INSERT INTO sync_batch (batch_id, claimed_at, ops, bytes, attempts) VALUES (?, ?, ?, ?, 1)`).run(
        batchId,
        at.toISOString(),
        n,
        bytes,
      );
      return { batchId, ops: claimedOps(db, batchId), resent: false };
    })
    .immediate();
}

export function claimedOps(db: Db, batchId: string): ClaimedOp[] {
  return db
    .prepare(`SELECT op_id, kind, entity, entity_id, payload, created_at FROM outbox WHERE batch_id = ? AND status = 'claimed' ORDER BY id`)
    .all(batchId) as ClaimedOp[];
}

/** Gives a batch's operations back to the queue (only when the server refused the batch before looking at it). */
export function releaseBatch(db: Db, batchId: string): void {
  db.transaction(() => {
    db.prepare(`UPDATE outbox SET status = 'pending', batch_id = NULL WHERE batch_id = ? AND status = 'claimed'`).run(batchId);
    db.prepare(`DELETE FROM sync_batch WHERE batch_id = ?`).run(batchId);
  }).immediate();
}

export interface PushOutcome {
  applied: number;
  duplicate: number;
  rejected: number;
  conflict: number;
}

/**
 * Records the server's answer to a batch, or a slice of it, inside the caller's transaction (the sync engine records
 * a large answer a slice at a time: db/sync-slices.ts): each operation's status and result, conflicts and
 * rejections into the sync issues list, bookings confirmed or lost. An answer recorded before is skipped: its
 * operation is no longer claimed. Once the whole answer is recorded, settleBatch returns the operations of the batch
 * the server did not mention to the queue.
 */
export function recordResults(db: Db, batchId: string, results: OpResult[], receivedAt: string, at: Date, outcome: PushOutcome): void {
  const update = db.prepare(
    `UPDATE outbox SET status = ?, result = ?, received_at = ? WHERE op_id = ? AND batch_id = ? AND status = 'claimed'`,
  );
  const getOp = db.prepare(`SELECT kind, entity, entity_id, payload FROM outbox WHERE op_id = ?`);
  const issue = db.prepare(
    `INSERT INTO sync_issue (op_id, kind, entity, entity_id, status, code, message, details, created_at)
     VALUES (@op_id, @kind, @entity, @entity_id, @status, @code, @message, @details, @created_at)
     ON CONFLICT (op_id) DO NOTHING`,
  );
  const confirm = db.prepare(`UPDATE booking SET status = 'confirmed', confirmed_at = ?, server = ? WHERE op_id = ?`);
  const lose = db.prepare(`UPDATE booking SET status = 'conflict', server = ? WHERE op_id = ?`);
  for (const r of results) {
    // A duplicate carries the first answer when the server kept one: act on that answer.
    const effective: OpResult = r.status === 'duplicate' && r.original && r.original.status !== 'duplicate' ? r.original : r;
    const changed = update.run(r.status, JSON.stringify(r), receivedAt, r.op_id, batchId).changes;
    if (changed === 0) continue;
    outcome[r.status]++;
    // A plain applied operation needs nothing more (only bookings come back with a result).
    if (effective.status === 'applied' && effective.result === undefined) continue;
    const op = getOp.get(r.op_id) as { kind: string; entity: string; entity_id: string; payload: string } | undefined;
    if (!op) continue;
    if (effective.status === 'applied' && op.kind === 'booking.create') {
      confirm.run(
        (effective.result as { confirmed_at?: string } | undefined)?.confirmed_at ?? receivedAt,
        JSON.stringify(effective.result ?? null),
        r.op_id,
      );
    } else if (effective.status === 'conflict') {
      if (op.kind === 'booking.create') lose.run(JSON.stringify(effective.server ?? null), r.op_id);
      issue.run({
        op_id: r.op_id,
        kind: op.kind,
        entity: op.entity,
        entity_id: op.entity_id,
        status: 'conflict',
        code: (effective.server as { reason?: string } | null)?.reason ?? 'conflict',
        message: 'the server kept another version',
        details: JSON.stringify({ server: effective.server ?? null, ...issueContext(op.kind, op.payload) }),
        created_at: at.toISOString(),
      });
    } else if (effective.status === 'rejected') {
      issue.run({
        op_id: r.op_id,
        kind: op.kind,
        entity: op.entity,
        entity_id: op.entity_id,
        status: 'rejected',
        code: effective.code,
        message: effective.message,
        details: JSON.stringify(issueContext(op.kind, op.payload)),
        created_at: at.toISOString(),
      });
    }
  }
}

/** The batch is answered: anything of it left unanswered goes back to the queue for the next batch. */
export function settleBatch(db: Db, batchId: string): void {
  db.prepare(`UPDATE outbox SET status = 'pending', batch_id = NULL WHERE batch_id = ? AND status = 'claimed'`).run(batchId);
  db.prepare(`DELETE FROM sync_batch WHERE batch_id = ?`).run(batchId);
}

/** What a person needs to act on an issue: for a lost booking, who to call back. */
function issueContext(kind: string, payloadText: string): Record<string, unknown> {
  if (kind !== 'booking.create') return {};
  try {
    const p = JSON.parse(payloadText) as Record<string, unknown>;
    return { doctor: p.doctor, slot_start: p.slot_start, patient_name: p.patient_name ?? null, phone: p.phone ?? null };
  } catch {
    return {};
  }
}

export function countQueued(db: Db): number {
  return (db.prepare(`SELECT count(*) AS n FROM outbox WHERE status IN ('pending','claimed')`).get() as { n: number }).n;
}

// ---------------------------------------------------------------------------------------------------------------
// Pull

export interface PageApplied {
  /** Shared rows applied to this desk's tables, by kind (the caller drops caches of those kinds). */
  shared: Partial<Record<SharedKind, number>>;
  /** Shared rows held back: this desk changed the same row again and has not pushed it yet. */
  heldBack: number;
  bookings: number;
}

const SHARED = new Set<string>(SHARED_KINDS);

/**
 * Applies one pulled page and its cursor in one transaction: both land, or neither. Shared rows go to this desk's
 * own tables (db/shared-state.ts), other desks' bookings to `remote_booking`, the rest (e-requests, trust files,
 * the clinic's workstations…) to `sync_reference`.
 */
const referenceStatements = statementCache((db: Db) => ({
  upsert: db.prepare(
    `INSERT INTO sync_reference (kind, key, payload, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (kind, key) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at`,
  ),
  remove: db.prepare(`DELETE FROM sync_reference WHERE kind = ? AND key = ?`),
})).get;

export function applyPulledPage(db: Db, rows: PulledRow[], cursor: string, at: Date): PageApplied {
  const applied: PageApplied = { shared: {}, heldBack: 0, bookings: 0 };
  db.transaction(() => {
    applyPulledRows(db, rows, at, applied);
    setSetting(db, 'sync.cursor', cursor);
  }).immediate();
  return applied;
}

/** Applies pulled rows inside the caller's transaction, which also stores what they advance (a cursor, a slice). */
export function applyPulledRows(db: Db, rows: PulledRow[], at: Date, applied: PageApplied): void {
  const { upsert, remove } = referenceStatements(db);
  const stamp = at.toISOString();
  const pending = rows.some((r) => SHARED.has(r.kind)) ? pendingSharedKeys(db) : new Set<string>();
  for (const r of rows) {
    if (r.kind === 'booking') {
      applyRemoteBooking(db, r.key, r.payload, r.deleted);
      applied.bookings++;
    } else if (SHARED.has(r.kind)) {
      const kind = r.kind as SharedKind;
      if (pending.has(`${kind} ${r.key}`)) applied.heldBack++;
      else if (applySharedRow(db, kind, r.key, r.payload, r.deleted, at)) applied.shared[kind] = (applied.shared[kind] ?? 0) + 1;
    } else if (r.deleted) remove.run(r.kind, r.key);
    else upsert.run(r.kind, r.key, JSON.stringify(r.payload), stamp);
  }
}

export function getReference(db: Db, kind: string, key: string): unknown {
  const r = db.prepare(`SELECT payload FROM sync_reference WHERE kind = ? AND key = ?`).get(kind, key) as { payload: string } | undefined;
  return r ? JSON.parse(r.payload) : undefined;
}

export function listReference(db: Db, kind: string): unknown[] {
  return (db.prepare(`SELECT payload FROM sync_reference WHERE kind = ? ORDER BY key`).all(kind) as Array<{ payload: string }>).map((r) =>
    JSON.parse(r.payload),
  );
}

export function countReference(db: Db, kind?: string): number {
  return (
    db.prepare(`SELECT count(*) AS n FROM sync_reference WHERE (@kind IS NULL OR kind = @kind)`).get({ kind: kind ?? null }) as {
      n: number;
    }
  ).n;
}

// ---------------------------------------------------------------------------------------------------------------
// Sync issues

export interface SyncIssue {
  id: number;
  opId: string;
  kind: string;
  entity: string;
  entityId: string;
  status: 'rejected' | 'conflict';
  code: string;
  message: string;
  details: Record<string, unknown>;
  createdAt: string;
  resolvedAt: string | null;
}

export function listSyncIssues(db: Db, opts: { includeResolved?: boolean; limit?: number } = {}): SyncIssue[] {
  const rows = db
    .prepare(`SELECT * FROM sync_issue WHERE (@all = 1 OR resolved_at IS NULL) ORDER BY id DESC LIMIT @limit`)
    .all({ all: opts.includeResolved ? 1 : 0, limit: opts.limit ?? 200 }) as Array<Record<string, any>>;
  return rows.map((r) => ({
    id: r.id,
    opId: r.op_id,
    kind: r.kind,
    entity: r.entity,
    entityId: r.entity_id,
    status: r.status,
    code: r.code,
    message: r.message,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : {},
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
  }));
}

/** Marks an issue dealt with (the patient was called, the operation re-entered by hand…); false when there is none open. */
export function resolveSyncIssue(db: Db, id: number, at: Date): boolean {
  return db.prepare(`UPDATE sync_issue SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL`).run(at.toISOString(), id).changes === 1;
}

export function countOpenSyncIssues(db: Db): number {
  return (db.prepare(`SELECT count(*) AS n FROM sync_issue WHERE resolved_at IS NULL`).get() as { n: number }).n;
}

// ---------------------------------------------------------------------------------------------------------------
// Bookings

export interface NewBooking {
  doctor: string;
  slotStart: string;
  patientIin?: string | null;
  patientName?: string | null;
  phone?: string | null;
}

export interface BookingRow {
  bookingId: string;
  doctor: string;
  slotStart: string;
  patientIin: string | null;
  patientName: string | null;
  phone: string | null;
  status: 'provisional' | 'confirmed' | 'conflict';
  opId: string;
  createdAt: string;
  confirmedAt: string | null;
}

/** A booking made here is provisional; the booking, its audit entry and its outbox operation land together. */
export function createBooking(db: Db, actor: Actor, at: Date, input: NewBooking): BookingRow {
  const bookingId = randomUUID();
  const payload = {
    booking_id: bookingId,
    doctor: input.doctor,
    slot_start: input.slotStart,
    patient_iin: input.patientIin ?? null,
    patient_name: input.patientName ?? null,
    phone: input.phone ?? null,
  };
  // recordChange's transaction nests as a savepoint: the booking row joins the same transaction.
  return db
    .transaction(() => {
      recordChange(db, actor, at, () => bookingId, {
        audit: {
          action: 'booking.create',
          entity: 'booking',
          entityId: bookingId,
          details: { doctor: input.doctor, slotStart: input.slotStart },
        },
        outbox: { kind: 'booking.create', entity: 'booking', entityId: bookingId, payload },
      });
      return insertBookingRow(db, bookingId, input, at);
    })
    .immediate();
}

function insertBookingRow(db: Db, bookingId: string, input: NewBooking, at: Date): BookingRow {
  // The booking's operation is the row just appended (recordChange enqueues it last); looking it up by kind and
  // entity would walk the whole outbox, which holds 100,000 rows after a long time offline (issue 18, goal 4).
  const op = (db
    .prepare(`SELECT op_id FROM outbox WHERE id = last_insert_rowid() AND kind = 'booking.create' AND entity_id = ?`)
    .get(bookingId) ?? db.prepare(`SELECT op_id FROM outbox WHERE kind = 'booking.create' AND entity_id = ?`).get(bookingId)) as {
    op_id: string;
  };
  db.prepare(
    `INSERT INTO booking (booking_id, doctor, slot_start, patient_iin, patient_name, phone, status, op_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'provisional', ?, ?)`,
  ).run(
    bookingId,
    input.doctor,
    input.slotStart,
    input.patientIin ?? null,
    input.patientName ?? null,
    input.phone ?? null,
    op.op_id,
    at.toISOString(),
  );
  return getBooking(db, bookingId)!;
}

export function getBooking(db: Db, bookingId: string): BookingRow | null {
  const r = db.prepare(`SELECT * FROM booking WHERE booking_id = ?`).get(bookingId) as Record<string, any> | undefined;
  return r ? toBooking(r) : null;
}

export function listBookings(db: Db): BookingRow[] {
  return (db.prepare(`SELECT * FROM booking ORDER BY slot_start, id`).all() as Array<Record<string, any>>).map(toBooking);
}

function toBooking(r: Record<string, any>): BookingRow {
  return {
    bookingId: r.booking_id,
    doctor: r.doctor,
    slotStart: r.slot_start,
    patientIin: r.patient_iin,
    patientName: r.patient_name,
    phone: r.phone,
    status: r.status,
    opId: r.op_id,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
  };
}
