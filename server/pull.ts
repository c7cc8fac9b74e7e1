/**
 * The server's pull: pages of the organization's changes after an opaque cursor. The log itself is written in
 * server/change-log.ts. Runs on PostgreSQL and PGlite alike.
 *
 * Two kinds of cursor (issue 13):
 *  - a log cursor {s}: the rows of change_log after position s, in sequence (= commit) order;
 *  - a snapshot cursor {s, t}: a new desk's first pull (empty cursor) pages through change_current — the latest
 *    change of each key — instead of all history: rows with seq > s, live ones and the deletions after t (t is the
 *    organization's head when the snapshot began, or the position the desk already had when it is re-sent the
 *    snapshot). A key changed while the desk pages moves to a higher seq and is picked up later in the same pass,
 *    so when the pass reaches the head the desk holds exactly what a pull of the whole log would have given it;
 *    the cursor then turns into a log cursor at that position.
 * A log cursor behind pruned history (org_counter.pruned_below) is answered from the snapshot again, flagged
 * `resync`, with the deletions after the desk's position.
 */
import { LIMITS } from '../common/sync-protocol';
import type { Sql } from './db';
import { systemClock } from '../common/clock';
import type { Workstation } from './enrollment';
import { PushRequestError } from './push';
import { REGISTER_KINDS, SHARED_KINDS } from '../common/shared-state';

const SHARED_KIND_SET = new Set<string>(SHARED_KINDS);
const REGISTER_KIND_SET = new Set<string>(REGISTER_KINDS);

export interface Cursor {
  /** The last position the desk has. */
  s: number;
  /** Snapshot cursors only: deletions after this position are sent. */
  t?: number;
}

export function encodeCursor(seq: number, tombstonesAfter?: number): string {
  const c = tombstonesAfter === undefined ? { v: 1, s: seq } : { v: 1, s: seq, t: tombstonesAfter };
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

const position = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** Null for an empty cursor (a new desk: the snapshot from the organization's current head). */
export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (!cursor) return null;
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; s?: unknown; t?: unknown };
    if (c.v === 1 && position(c.s) && (c.t === undefined || position(c.t))) return c.t === undefined ? { s: c.s } : { s: c.s, t: c.t };
  } catch {
    // fall through
  }
  throw new PushRequestError(400, 'not a cursor this server issued');
}

interface Row {
  seq: string;
  kind: string;
  key: string;
  payload: string;
  deleted: boolean;
  origin: string | null;
}

/**
 * One page after the cursor, as a ready JSON string (payloads are stored as JSON text and copied through without
 * parsing). The workstation's own bookings are skipped but still advance the cursor. The position the desk sent is
 * recorded on its workstation row (pulled_seq): pruning keeps every change a live desk has not pulled yet.
 */
export async function pull(
  db: Sql,
  ws: Workstation,
  cursor: string | undefined,
  limit: number = LIMITS.pullMaxRows,
  now: Date = systemClock(),
): Promise<string> {
  let c = decodeCursor(cursor);
  const rowsCap = Math.max(1, Math.min(limit, LIMITS.pullMaxRows));
  const counter = await db.query<{ seq: string; pruned_below: string }>(`SELECT seq, pruned_below FROM org_counter WHERE org_bin = $1`, [
    ws.orgBin,
  ]);
  const head = Number(counter.rows[0]?.seq ?? 0);
  const prunedBelow = Number(counter.rows[0]?.pruned_below ?? 0);
  let resync = false;
  if (c === null) c = { s: 0, t: head };
  else if (c.t === undefined && c.s < prunedBelow) {
    // The log after this desk's position is gone: send the current state again, with the deletions it missed.
    c = { s: 0, t: c.s };
    resync = true;
  }
  const snapshot = c.t !== undefined;
  const r = snapshot
    ? await db.query<Row>(
        `SELECT seq, kind, key, payload, deleted, origin FROM change_current
          WHERE org_bin = $1 AND seq > $2 AND (NOT deleted OR seq > $3) ORDER BY seq LIMIT $4`,
        [ws.orgBin, c.s, c.t, rowsCap],
      )
    : await db.query<Row>(
        `SELECT seq, kind, key, payload, deleted, origin FROM change_log WHERE org_bin = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [ws.orgBin, c.s, rowsCap],
      );
  const acknowledged = snapshot ? c.t! : c.s;
  await db.query(`UPDATE workstation SET pulled_seq = $2 WHERE id = $1 AND pulled_seq IS DISTINCT FROM $2`, [ws.id, acknowledged]);

  const parts: string[] = [];
  let bytes = 0;
  let at = c.s;
  let taken = 0;
  for (const row of r.rows) {
    if (taken > 0 && bytes + row.payload.length > LIMITS.pullMaxBytes) break;
    taken++;
    at = Number(row.seq);
    // A desk's own bookings are skipped (it holds them already); its own shared rows are not: applying every row in
    // the server's order is what makes the last writer win on every desk (common/shared-state.ts).
    if (row.origin === ws.id && !SHARED_KIND_SET.has(row.kind)) continue;
    // Need to know: register entries only to the desks that check the registers.
    if (!ws.receivesRegisters && REGISTER_KIND_SET.has(row.kind)) continue;
    bytes += row.payload.length;
    parts.push(
      `{"kind":${JSON.stringify(row.kind)},"key":${JSON.stringify(row.key)},"payload":${row.payload},"deleted":${row.deleted ? 'true' : 'false'}}`,
    );
  }
  const more = taken < r.rows.length || r.rows.length === rowsCap;
  let next: string;
  if (snapshot && !more) {
    // The pass reached the head: nothing after `at` is left to send up to the head read before the page (every
    // change up to it is visible to the page query), and no deletion before t is needed.
    at = Math.max(at, c.t!, head);
    next = encodeCursor(at);
  } else next = snapshot ? encodeCursor(at, c.t) : encodeCursor(at);
  const headSeq = Math.max(head, at);
  return `{"rows":[${parts.join(',')}],"cursor":${JSON.stringify(next)},"more":${more},"server_time":"${now.toISOString()}","position":${at},"head":${headSeq}${resync ? ',"resync":true' : ''}}`;
}
