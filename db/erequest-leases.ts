/**
 * E-request leases on the workstation, in SQL (issue 13, point 5): which desk holds each e-request, as this
 * desk's claims were answered and as the other desks' `erequest-lease` rows were pulled; the `erequest.status`
 * operations the server refused because another desk holds the request; the journal entries a lost registration
 * made, to cancel them. `updated_at` is the server's time of the event a state
 * comes from, so an older pulled row never overwrites a newer claim answer; `lost` is never overwritten.
 */
import {
  EREQUEST_LEASE_ROW_KIND,
  EREQUEST_STATUS_OP,
  type DeskRef,
  type ErequestClaimResult,
  type ErequestLeasePayload,
  type ErequestTakenConflict,
} from '../common/erequests';
import type { OpResult } from '../common/sync-protocol';
import type { Db } from './connection';
import { statementCache } from './statements';

export type LeaseState = 'mine' | 'taken' | 'elsewhere' | 'lost';

export interface LeaseRow {
  number: string;
  state: LeaseState;
  holder: string | null;
  holder_name: string | null;
  lease_until: string | null;
  reason: string | null;
  updated_at: string;
}

const s = statementCache((db: Db) => ({
  get: db.prepare(`SELECT * FROM erequest_lease WHERE number = ?`),
  // Writes a state unless the request was lost here, or the stored state comes from a later server event.
  upsert: db.prepare(
    `INSERT INTO erequest_lease (number, state, holder, holder_name, lease_until, reason, updated_at)
     VALUES (@number, @state, @holder, @holder_name, @lease_until, NULL, @at)
     ON CONFLICT (number) DO UPDATE SET state = excluded.state, holder = excluded.holder, holder_name = excluded.holder_name,
            lease_until = excluded.lease_until, updated_at = excluded.updated_at
      WHERE erequest_lease.state <> 'lost' AND erequest_lease.updated_at <= excluded.updated_at
        AND NOT (erequest_lease.state = 'elsewhere' AND excluded.state <> 'elsewhere')`,
  ),
  markLost: db.prepare(
    `INSERT INTO erequest_lease (number, state, holder, holder_name, lease_until, reason, updated_at)
     VALUES (@number, 'lost', @holder, @holder_name, NULL, @reason, @at)
     ON CONFLICT (number) DO UPDATE SET state = 'lost', holder = excluded.holder, holder_name = excluded.holder_name,
            lease_until = NULL, reason = excluded.reason, updated_at = excluded.updated_at`,
  ),
  pulled: db.prepare(`SELECT key, payload FROM sync_reference WHERE kind = ?`),
  removePulled: db.prepare(`DELETE FROM sync_reference WHERE kind = ? AND key = ?`),
  refused: db.prepare(
    `SELECT o.entity_id AS number, o.result FROM outbox o LEFT JOIN erequest_lease l ON l.number = o.entity_id
      WHERE o.kind = ? AND o.status = 'conflict' AND (l.state IS NULL OR l.state <> 'lost') ORDER BY o.id`,
  ),
  visitsOf: db.prepare(`SELECT id FROM home_visit WHERE request_id = ? AND status = 'registered' ORDER BY id`),
  appointmentsOf: db.prepare(`SELECT id FROM appointment WHERE request_id = ? AND status = 'booked' ORDER BY id`),
})).get;

export function getLease(db: Db, number: string): LeaseRow | undefined {
  return s(db).get.get(number) as LeaseRow | undefined;
}

function upsert(db: Db, number: string, state: LeaseState, holder: DeskRef | null, until: string | null, at: string): void {
  s(db).upsert.run({ number, state, holder: holder?.id ?? null, holder_name: holder?.name ?? null, lease_until: until, at });
}

/** Records the server's answer to a claim in one transaction: this desk's leases and the other desks'. */
export function saveClaimAnswers(db: Db, self: DeskRef, results: ErequestClaimResult[], serverTime: string): void {
  db.transaction(() => {
    for (const r of results) {
      if (r.status === 'granted') upsert(db, r.number, 'mine', self, r.lease_until, serverTime);
      else if (r.status === 'taken') upsert(db, r.number, 'taken', r.holder, r.lease_until, serverTime);
      else if (r.status === 'done' && r.holder?.id !== self.id) upsert(db, r.number, 'elsewhere', r.holder, null, serverTime);
    }
  }).immediate();
}

/** Takes pulled `erequest-lease` rows (the other desks' leases and registrations) out of the reference table. */
export function ingestPulledLeases(db: Db): number {
  const st = s(db);
  const rows = st.pulled.all(EREQUEST_LEASE_ROW_KIND) as Array<{ key: string; payload: string }>;
  if (rows.length === 0) return 0;
  db.transaction(() => {
    for (const r of rows) {
      const p = JSON.parse(r.payload) as ErequestLeasePayload;
      if (p.state === 'handled') upsert(db, p.number, 'elsewhere', p.holder, null, p.at);
      else upsert(db, p.number, 'taken', p.holder, p.leaseUntil, p.at);
      st.removePulled.run(EREQUEST_LEASE_ROW_KIND, r.key);
    }
  }).immediate();
  return rows.length;
}

/** The e-requests whose status operations the server refused because another desk holds them, not yet handled. */
export function listRefusedStatuses(db: Db): Array<{ number: string; conflict: ErequestTakenConflict | null }> {
  const rows = s(db).refused.all(EREQUEST_STATUS_OP) as Array<{ number: string; result: string | null }>;
  const seen = new Map<string, ErequestTakenConflict | null>();
  for (const r of rows) {
    if (seen.has(r.number)) continue;
    const result = r.result ? (JSON.parse(r.result) as OpResult) : null;
    const effective = result?.status === 'duplicate' ? result.original : result;
    seen.set(r.number, effective?.status === 'conflict' ? (effective.server as ErequestTakenConflict) : null);
  }
  return [...seen].map(([number, conflict]) => ({ number, conflict }));
}

/** The journal entries still standing that were made for a request: home-visit calls and appointments. */
export function openJournalEntries(db: Db, requestId: number): { visits: number[]; appointments: number[] } {
  return {
    visits: (s(db).visitsOf.all(requestId) as Array<{ id: number }>).map((r) => r.id),
    appointments: (s(db).appointmentsOf.all(requestId) as Array<{ id: number }>).map((r) => r.id),
  };
}

export function markLost(db: Db, number: string, holder: DeskRef | null, reason: string, at: Date): void {
  s(db).markLost.run({ number, holder: holder?.id ?? null, holder_name: holder?.name ?? null, reason, at: at.toISOString() });
}
