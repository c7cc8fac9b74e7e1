/**
 * Sync work in slices the desk does not notice (issue 18, goal 4). better-sqlite3 is synchronous: while a
 * transaction runs, the main process answers no API call. So the engine applies pulled rows, claims outbox rows and
 * records push results a slice at a time, each slice one short transaction, and lets the event loop run between
 * slices. A slice's size follows the time the last ones took, so a slice stays near the budget on a fast desk and
 * on a slow, busy one alike. The e-request intake takes in a backlog the same way (erequests/intake.ts).
 */

/** What one slice of sync work may hold the main process for. */
export const SLICE_BUDGET_MS = 8;

export class SliceSizer {
  /** Rows per millisecond, smoothed over the slices so far. */
  private rate: number | null = null;

  constructor(
    private readonly budgetMs = SLICE_BUDGET_MS,
    private readonly first = 200,
    // Below this a slice's own commit (an fsync) costs more than its rows: the sync would crawl on a busy desk.
    private readonly min = 50,
    private readonly max = 5_000,
  ) {}

  /** The row work of a slice of `rows`, timed (db/sync-slices.ts Timed). */
  timer(rows: number): <T>(work: () => T) => T {
    return (work) => this.measure(rows, work);
  }

  /** Rows for the next slice. */
  next(): number {
    if (this.rate === null) return this.first;
    return Math.max(this.min, Math.min(this.max, Math.floor(this.rate * this.budgetMs)));
  }

  /**
   * Notes that `rows` took `ms`. Smoothed: on a machine shared with other work, one slice the system paused says
   * little about the next.
   */
  took(rows: number, ms: number): void {
    if (rows <= 0) return;
    const rate = rows / Math.max(ms, 0.05);
    this.rate = this.rate === null ? rate : 0.7 * this.rate + 0.3 * rate;
  }

  /**
   * Runs one slice's work of `rows` rows and notes its time (performance.now: a duration, not the clock's time).
   * Given to db/sync-slices.ts, it times the rows' work inside the transaction, not the commit.
   */
  measure<T>(rows: number, slice: () => T): T {
    const t0 = performance.now();
    const out = slice();
    this.took(rows, performance.now() - t0);
    return out;
  }
}

/** Lets the API calls queued behind a slice run before the next one. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
