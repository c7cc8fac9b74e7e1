/**
 * The server's housekeeping (issue 13), started by server/main.ts on a schedule:
 *  - maintain(): VACUUM (ANALYZE) of the hot tables on PGlite, which has no autovacuum — without statistics the
 *    planner misjudges the pull page at a million rows. On PostgreSQL autovacuum does this and maintain() does
 *    nothing.
 *  - prune(): history kept for `retentionDays` only. A change_log row older than that goes when a newer change of
 *    the same key exists (no desk needs it: pulling on reaches the newer one) or when every workstation of the
 *    organization that is not revoked has pulled past it; the organization's pruned_below then tells pull to
 *    answer an older cursor from the snapshot. Deletions stay in change_current (one small row per deleted key):
 *    a desk sent the snapshot again after a long absence, or restored from an old backup, learns of every
 *    deletion after its position, so it ends exactly where a desk that kept pulling is. sync_op and sync_batch rows older than retention go: a batch or operation replayed
 *    after that is treated as new, so the retention must exceed the longest time a desk stays offline.
 */
import type { Clock } from '../common/clock';
import type { ServerDb } from './db';

/** The tables every push and pull writes or reads. */
export const HOT_TABLES = ['change_log', 'change_current', 'org_counter', 'sync_op', 'sync_batch', 'booking', 'workstation'] as const;

export const DEFAULT_RETENTION_DAYS = 30;
/** How often the server maintains its database. */
export const MAINTENANCE_INTERVAL_MS = 60 * 60 * 1000;

export async function maintain(db: ServerDb): Promise<void> {
  if (db.kind !== 'pglite') return;
  await db.exec(`VACUUM (ANALYZE) ${HOT_TABLES.join(', ')}`);
}

export interface PruneResult {
  changesSuperseded: number;
  changesPulled: number;
  ops: number;
  batches: number;
}

export async function prune(db: ServerDb, options: { retentionDays: number; now: Date }): Promise<PruneResult> {
  if (!(options.retentionDays >= 0)) throw new Error(`retentionDays: not a number of days: ${options.retentionDays}`);
  const before = new Date(options.now.getTime() - options.retentionDays * 86_400_000).toISOString();
  // The position every live workstation of an organization has acknowledged (a desk that never pulled: 0).
  const cut = `SELECT w.org_bin, min(coalesce(w.pulled_seq, 0)) AS upto FROM workstation w WHERE w.revoked_at IS NULL GROUP BY w.org_bin`;
  return db.transaction(async (tx) => {
    const superseded = await tx.query(
      `DELETE FROM change_log l USING change_current c
        WHERE c.org_bin = l.org_bin AND c.kind = l.kind AND c.key = l.key AND c.seq > l.seq AND l.recorded_at < $1`,
      [before],
    );
    const pulled = await tx.query<{ n: number }>(
      `WITH cut AS (${cut}),
            gone AS (DELETE FROM change_log l USING cut WHERE l.org_bin = cut.org_bin AND l.seq <= cut.upto AND l.recorded_at < $1
                     RETURNING l.org_bin, l.seq),
            marks AS (UPDATE org_counter o SET pruned_below = greatest(o.pruned_below, g.top)
                        FROM (SELECT org_bin, max(seq) AS top FROM gone GROUP BY org_bin) g WHERE o.org_bin = g.org_bin)
       SELECT count(*)::int AS n FROM gone`,
      [before],
    );
    const ops = await tx.query(`DELETE FROM sync_op WHERE received_at < $1`, [before]);
    const batches = await tx.query(`DELETE FROM sync_batch WHERE received_at < $1`, [before]);
    return {
      changesSuperseded: superseded.rowCount,
      changesPulled: Number(pulled.rows[0]?.n ?? 0),
      ops: ops.rowCount,
      batches: batches.rowCount,
    };
  });
}

export interface MaintenanceOptions {
  retentionDays: number;
  clock: Clock;
  intervalMs?: number;
  /** The first run, after start (default one minute: a restart is not slowed by it). */
  firstRunMs?: number;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

/** Prunes then maintains shortly after start and every interval; a failure is logged and retried at the next one. */
export function startMaintenance(db: ServerDb, options: MaintenanceOptions): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const once = () => {
    running = (async () => {
      try {
        const pruned = await prune(db, { retentionDays: options.retentionDays, now: options.clock() });
        await maintain(db);
        options.log?.('maintenance', { ...pruned });
      } catch (error) {
        if (!stopped) options.log?.('maintenance failed', { error: (error as Error).message });
      }
    })();
  };
  const first = setTimeout(once, options.firstRunMs ?? 60_000);
  const timer = setInterval(once, options.intervalMs ?? MAINTENANCE_INTERVAL_MS);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
