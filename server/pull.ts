/**
 * The server's pull: pages of the organization's commit-ordered change log after an opaque cursor. Split out of
 * the former server/store.ts (issue 12); the log is written in server/push.ts. Runs on PostgreSQL and PGlite alike.
 */
import { LIMITS } from '../common/sync-protocol';
import type { Sql } from './db';
import { systemClock } from '../common/clock';
import type { Workstation } from './enrollment';
import { PushRequestError } from './push';
import { SHARED_KINDS } from '../common/shared-state';

const SHARED_KIND_SET = new Set<string>(SHARED_KINDS);

export function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ v: 1, s: seq })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; s?: unknown };
    if (c.v === 1 && typeof c.s === 'number' && Number.isSafeInteger(c.s) && c.s >= 0) return c.s;
  } catch {
    // fall through
  }
  throw new PushRequestError(400, 'not a cursor this server issued');
}

/**
 * One page of the organization's change log after the cursor, as a ready JSON string (payloads are stored as
 * JSON text and copied through without parsing). The workstation's own bookings are skipped but still advance
 * the cursor.
 */
export async function pull(
  db: Sql,
  ws: Workstation,
  cursor: string | undefined,
  limit: number = LIMITS.pullMaxRows,
  now: Date = systemClock(),
): Promise<string> {
  const after = decodeCursor(cursor);
  const rowsCap = Math.max(1, Math.min(limit, LIMITS.pullMaxRows));
  const r = await db.query<{ seq: string; kind: string; key: string; payload: string; deleted: boolean; origin: string | null }>(
    `SELECT seq, kind, key, payload, deleted, origin FROM change_log WHERE org_bin = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [ws.orgBin, after, rowsCap],
  );
  const head = await db.query<{ head: string | null }>(`SELECT max(seq) AS head FROM change_log WHERE org_bin = $1`, [ws.orgBin]);
  const parts: string[] = [];
  let bytes = 0;
  let position = after;
  let taken = 0;
  for (const row of r.rows) {
    if (taken > 0 && bytes + row.payload.length > LIMITS.pullMaxBytes) break;
    taken++;
    position = Number(row.seq);
    // A desk's own bookings are skipped (it holds them already); its own shared rows are not: applying every row in
    // the server's order is what makes the last writer win on every desk (common/shared-state.ts).
    if (row.origin === ws.id && !SHARED_KIND_SET.has(row.kind)) continue;
    bytes += row.payload.length;
    parts.push(
      `{"kind":${JSON.stringify(row.kind)},"key":${JSON.stringify(row.key)},"payload":${row.payload},"deleted":${row.deleted ? 'true' : 'false'}}`,
    );
  }
  const more = taken < r.rows.length || r.rows.length === rowsCap;
  const headSeq = Math.max(Number(head.rows[0]?.head ?? 0), position);
  return `{"rows":[${parts.join(',')}],"cursor":${JSON.stringify(encodeCursor(position))},"more":${more},"server_time":"${now.toISOString()}","position":${position},"head":${headSeq}}`;
}
