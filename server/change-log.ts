/**
 * The writer of the change log workstations pull (issue 13): one commit-ordered sequence per organization, and
 * beside it change_current, the latest change of each (kind, key), which a new desk's first pull pages through
 * instead of the whole history. Used by push (bookings and shared operations), the gateway and publishes.
 * Runs on PostgreSQL and PGlite alike.
 */
import type { ServerDb, Sql } from './db';
import { ensureOrganization } from './organization';

export interface Change {
  kind: string;
  key: string;
  /** JSON text, copied through to the pulling workstation. */
  payload: string;
  deleted?: boolean;
}

/**
 * Appends rows to the organization's change log and updates change_current. The organization's counter row is
 * locked here, at the end of the writing transaction, and held until commit: within one organization sequence
 * order is commit order (a later seq never becomes visible before an earlier one, so a cursor never skips a row
 * committed late). Other organizations have their own row and are not held up.
 */
export async function appendChanges(tx: Sql, orgBin: string, origin: string | null, changes: Change[]): Promise<void> {
  if (changes.length === 0) return;
  const r = await tx.query<{ seq: string }>(
    `INSERT INTO org_counter (org_bin, seq) VALUES ($1, $2)
     ON CONFLICT (org_bin) DO UPDATE SET seq = org_counter.seq + excluded.seq RETURNING seq`,
    [orgBin, changes.length],
  );
  const last = Number(r.rows[0]!.seq);
  const first = last - changes.length + 1;
  const rows = changes.map((c, i) => ({ seq: first + i, kind: c.kind, key: c.key, payload: c.payload, deleted: c.deleted ?? false }));
  // One statement for both tables; a key changed twice in one call keeps its last change in change_current.
  await tx.query(
    `WITH x AS MATERIALIZED (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(seq bigint, kind text, key text, payload text, deleted boolean)
     ), logged AS (
       INSERT INTO change_log (seq, org_bin, kind, key, payload, deleted, origin)
       SELECT x.seq, $2, x.kind, x.key, x.payload, x.deleted, $3 FROM x
     )
     INSERT INTO change_current (org_bin, kind, key, seq, payload, deleted, origin, recorded_at)
     SELECT DISTINCT ON (x.kind, x.key) $2, x.kind, x.key, x.seq, x.payload, x.deleted, $3, now() FROM x ORDER BY x.kind, x.key, x.seq DESC
     ON CONFLICT (org_bin, kind, key) DO UPDATE
       SET seq = excluded.seq, payload = excluded.payload, deleted = excluded.deleted, origin = excluded.origin,
           recorded_at = excluded.recorded_at`,
    [JSON.stringify(rows), orgBin, origin],
  );
}

export interface ReferenceRow {
  kind: string;
  key: string;
  payload: unknown;
  deleted?: boolean;
}

/** Rows per publish transaction: small enough that a desk of the same organization pushing meanwhile waits little. */
export const PUBLISH_CHUNK_ROWS = 2_000;
/** A publish this large is followed by ANALYZE on PGlite, so the planner knows the log grew. */
export const PUBLISH_ANALYZE_ROWS = 20_000;

/**
 * Publishes reference rows (staff, timetables, price list…) for one organization, in transactions of
 * PUBLISH_CHUNK_ROWS rows: each chunk is atomic, the publish as a whole is not (a failed publish is published
 * again: a row published twice is just a newer version of itself).
 */
export async function publishReference(db: ServerDb, orgBin: string, rows: ReferenceRow[]): Promise<number> {
  if (typeof orgBin !== 'string' || !/^\d{12}$/.test(orgBin)) throw new PublishError('org: not a BIN (12 digits)');
  checkReferenceRows(rows);
  await ensureOrganization(db, orgBin);
  for (let i = 0; i < rows.length; i += PUBLISH_CHUNK_ROWS) {
    const chunk = rows
      .slice(i, i + PUBLISH_CHUNK_ROWS)
      .map((r) => ({ kind: r.kind, key: r.key, payload: JSON.stringify(r.payload ?? null), deleted: r.deleted ?? false }));
    await db.transaction((tx) => appendChanges(tx, orgBin, null, chunk));
  }
  // PGlite has no autovacuum to notice the growth; PostgreSQL's does, without an ANALYZE competing with pushes here.
  if (rows.length >= PUBLISH_ANALYZE_ROWS && db.kind === 'pglite') await db.exec(`ANALYZE change_log, change_current`);
  return rows.length;
}

function checkReferenceRows(rows: unknown): asserts rows is ReferenceRow[] {
  if (!Array.isArray(rows)) throw new PublishError('rows must be an array of {kind, key, payload}');
  rows.forEach((r: Partial<ReferenceRow> | null, i) => {
    if (!r || typeof r !== 'object') throw new PublishError(`rows[${i}] is not an object`);
    if (typeof r.kind !== 'string' || r.kind.length === 0 || r.kind.length > 64) throw new PublishError(`rows[${i}].kind missing`);
    if (typeof r.key !== 'string' || r.key.length === 0 || r.key.length > 200) throw new PublishError(`rows[${i}].key missing`);
  });
}

/** Bad publish input: the HTTP layer answers 400 with the message (Fastify reads statusCode). */
/**
 * Splits a publish into request-sized chunks: at most `maxRows` rows and about `maxBytes` of payload each (a
 * single larger row goes alone). The server CLI sends them one request each.
 */
export function publishChunks<T extends { payload: unknown }>(rows: T[], maxRows: number, maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = JSON.stringify(row).length;
    if (current.length > 0 && (current.length >= maxRows || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export class PublishError extends Error {
  readonly statusCode = 400;
}
