/**
 * E-request leases on the central server (issue 13, point 5): one desk per e-request. A workstation claims the
 * new e-requests it pulled before it registers any of them; the first claim wins for the lease time, a later
 * claim by another desk is answered `taken` (by whom, until when), and a claim after the lease ran out without a
 * registration wins again. The registration itself is judged in `applyStatusOp` (gateway.ts) with
 * `mayAnswer`: only the desk holding the request may register or answer it; its accepted registration makes the
 * lease final. Every grant and every final registration is a pulled `erequest-lease` row, so the other desks show
 * the request as taken without asking.
 */
import {
  EREQUEST_CLAIM_MAX,
  EREQUEST_LEASE_ROW_KIND,
  EREQUEST_TAKEN,
  type DeskRef,
  type ErequestClaimResponse,
  type ErequestClaimResult,
  type ErequestLeasePayload,
  type ErequestTakenConflict,
} from '../common/erequests';
import type { ServerDb, Sql } from './db';
import type { Workstation } from './enrollment';
import { appendChanges, PushRequestError } from './push';

const NUMBER = /^[\w-]{1,40}$/;

/** The lease columns of a `gateway_request` row. */
export interface LeaseColumns {
  lease_holder: string | null;
  lease_until: string | null;
  handled_by: string | null;
}

/** Reads `{numbers: [...]}`; a bad body names the field. */
export function readClaimBody(body: unknown): string[] {
  const numbers = (body as { numbers?: unknown } | null)?.numbers;
  if (!Array.isArray(numbers)) throw new PushRequestError(400, 'numbers: expected an array of e-request numbers');
  if (numbers.length > EREQUEST_CLAIM_MAX) throw new PushRequestError(413, `numbers: at most ${EREQUEST_CLAIM_MAX} per claim`);
  for (const n of numbers)
    if (typeof n !== 'string' || !NUMBER.test(n))
      throw new PushRequestError(400, `numbers: ${JSON.stringify(n)} is not an e-request number`);
  return [...new Set(numbers as string[])].sort();
}

async function deskNames(tx: Sql, ids: Array<string | null>): Promise<Map<string, DeskRef>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (wanted.length === 0) return new Map();
  const r = await tx.query<{ id: string; name: string }>(
    `SELECT id, coalesce(code, name) AS name FROM workstation WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
    [JSON.stringify(wanted)],
  );
  return new Map(r.rows.map((w) => [w.id, { id: w.id, name: w.name }]));
}

const refOf = (names: Map<string, DeskRef>, id: string | null): DeskRef | null => (id ? (names.get(id) ?? { id, name: '' }) : null);

/**
 * Claims e-requests for one workstation in one transaction. The rows are locked in number order, so two desks
 * claiming overlapping sets wait for each other instead of deadlocking, and the second sees the first's lease.
 */
export async function claimErequests(
  db: ServerDb,
  ws: Workstation,
  numbers: string[],
  now: Date,
  leaseMs: number,
): Promise<ErequestClaimResponse> {
  if (numbers.length === 0) return { results: [], server_time: now.toISOString() };
  return db.transaction(async (tx) => {
    const r = await tx.query<LeaseColumns & { number: string; org_bin: string; status: string }>(
      `SELECT number, org_bin, status, lease_holder, to_json(lease_until)#>>'{}' AS lease_until, handled_by
         FROM gateway_request WHERE number IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY number FOR UPDATE`,
      [JSON.stringify(numbers)],
    );
    const byNumber = new Map(r.rows.map((row) => [row.number, row]));
    const names = await deskNames(tx, [ws.id, ...r.rows.flatMap((row) => [row.lease_holder, row.handled_by])]);
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const granted: string[] = [];
    const results: ErequestClaimResult[] = numbers.map((number): ErequestClaimResult => {
      const row = byNumber.get(number);
      if (!row || row.org_bin !== ws.orgBin) return { number, status: 'unknown' };
      if (row.handled_by === ws.id) return { number, status: 'granted', lease_until: null };
      if (row.handled_by || row.status !== 'received') return { number, status: 'done', holder: refOf(names, row.handled_by) };
      if (row.lease_holder && row.lease_holder !== ws.id && row.lease_until && Date.parse(row.lease_until) > now.getTime())
        return { number, status: 'taken', holder: refOf(names, row.lease_holder)!, lease_until: new Date(row.lease_until).toISOString() };
      granted.push(number);
      return { number, status: 'granted', lease_until: until };
    });
    if (granted.length > 0) {
      await tx.query(
        `UPDATE gateway_request SET lease_holder = $2, lease_until = $3 WHERE number IN (SELECT jsonb_array_elements_text($1::jsonb))`,
        [JSON.stringify(granted), ws.id, until],
      );
      const holder = refOf(names, ws.id)!;
      await appendChanges(
        tx,
        ws.orgBin,
        ws.id,
        granted.map((number) => leaseChange({ number, state: 'leased', holder, leaseUntil: until, at: now.toISOString() })),
      );
    }
    return { results, server_time: now.toISOString() };
  });
}

export function leaseChange(p: ErequestLeasePayload): { kind: string; key: string; payload: string } {
  return { kind: EREQUEST_LEASE_ROW_KIND, key: p.number, payload: JSON.stringify(p) };
}

/**
 * May this workstation register or answer the e-request? Yes when its registration was accepted before, or when
 * nobody's registration was and no other desk holds the lease. A lease that ran out still counts until another
 * desk claims the request: a desk that registered offline and comes back before anyone else took it keeps it.
 * A request nobody ever claimed (a workstation older than leases) goes to the first registration that arrives.
 */
export function mayAnswer(ws: Workstation, row: LeaseColumns): boolean {
  if (row.handled_by) return row.handled_by === ws.id;
  return row.lease_holder === null || row.lease_holder === ws.id;
}

/** The conflict for a desk that may not answer: who holds the request (and until when, for a lease). */
export async function takenConflict(tx: Sql, number: string, row: LeaseColumns): Promise<ErequestTakenConflict> {
  const holderId = row.handled_by ?? row.lease_holder;
  const names = await deskNames(tx, [holderId]);
  return {
    reason: EREQUEST_TAKEN,
    number,
    holder: refOf(names, holderId),
    lease_until: row.handled_by || !row.lease_until ? null : new Date(row.lease_until).toISOString(),
  };
}
