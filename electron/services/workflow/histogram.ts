/**
 * Duration buckets of the dashboard's daily roll-ups (kept by triggers, db/migrations/0002-workflow.ts) and
 * percentiles read from them. bucket = floor(50·ln(1 + seconds)): each bucket is 2 % wide, and its value is the
 * geometric middle, so a percentile read here is within 1 % of the exact one. Keep in step with the SQL.
 */
export const BUCKETS_PER_E = 50;

export function bucketOf(durationMs: number): number {
  return Math.floor(BUCKETS_PER_E * Math.log1p(Math.max(0, durationMs) / 1000));
}

/** The representative duration (ms) of a bucket. */
export function bucketValueMs(bucket: number): number {
  return Math.expm1((bucket + 0.5) / BUCKETS_PER_E) * 1000;
}

/**
 * Nearest-rank percentile (p in 0..100) of a histogram given as (bucket, count) pairs in any order; null when
 * empty. Buckets below 0 (cancelled: no duration) are ignored.
 */
export function histogramPercentile(rows: ReadonlyArray<{ bucket: number; n: number }>, p: number): number | null {
  const list = rows.filter((r) => r.bucket >= 0 && r.n > 0).sort((a, b) => a.bucket - b.bucket);
  const total = list.reduce((s, r) => s + r.n, 0);
  if (total === 0) return null;
  const rank = Math.min(total, Math.max(1, Math.ceil((p / 100) * total)));
  let seen = 0;
  for (const r of list) {
    seen += r.n;
    if (seen >= rank) return Math.round(bucketValueMs(r.bucket));
  }
  return Math.round(bucketValueMs(list[list.length - 1]!.bucket));
}
