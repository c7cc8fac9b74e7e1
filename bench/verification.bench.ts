/**
 * The public verification page (issue 19): `GET /v/<number>/<code>` on PostgreSQL holding 1,000,000 documents
 * (target p99 ≤ 20 ms), measured through a real HTTP server on loopback, one request at a time, nine in ten with
 * the right code (each one counted, an UPDATE) and one in ten with a wrong code. The wrong codes' median is given
 * beside the right ones': the page must not answer a wrong code faster. `--quick` seeds 100,000 documents.
 * The rows are seeded with one INSERT … SELECT from generate_series (the hash computed by PostgreSQL's sha256 the
 * same way server/verification.ts does it); pushing a million records through sync is the sync bench's business.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { buildServer } from '../server/app';
import { openServerDb } from '../server/db';
import { findPostgresBin, startPostgres } from '../test/helpers/postgres';
import { figure, median, percentile, type BenchContext, type BenchFigure } from './types';

const ORG = '120140001011';
const number = (i: number) => `B1-T${String(i).padStart(7, '0')}`;

export default async function (ctx: BenchContext): Promise<BenchFigure[]> {
  try {
    findPostgresBin();
  } catch (error) {
    ctx.log(`verification: PostgreSQL not measured — ${(error as Error).message}`);
    return [];
  }
  const N = ctx.quick ? 100_000 : 1_000_000;
  const REQUESTS = ctx.quick ? 1_000 : 5_000;
  const cluster = await startPostgres();
  const db = await openServerDb({ databaseUrl: await cluster.createDatabase() });
  const figures: BenchFigure[] = [];
  try {
    const shows = JSON.stringify({
      title: { kk: 'Талон', ru: 'Талон' },
      person: 'Қасымова Д. М.',
      iin: '850301****18',
      anonymousCode: null,
      organization: { bin: ORG, name: { kk: 'Емхана', ru: 'Поликлиника' } },
      issuedOn: '2026-12-01',
      lines: [],
      signers: [],
    });
    const t0 = performance.now();
    await db.query(
      `INSERT INTO document_verification (org_bin, number, kind, code_hash, status, issued_at, shows, workstation_id, received_at, updated_at)
       SELECT $1, n, 'talon',
              encode(sha256(convert_to('tirkeu-verify:' || n || ':' || upper(substr(md5(i::text), 1, 16)), 'UTF8')), 'hex'),
              CASE WHEN i % 50 = 0 THEN 'voided' ELSE 'valid' END, now(), $2, 'bench', now(), now()
         FROM generate_series(1, $3::int) AS i, LATERAL (SELECT 'B1-T' || lpad(i::text, 7, '0') AS n) x`,
      [ORG, shows, N],
    );
    await db.query('ANALYZE document_verification');
    ctx.log(`verification: ${N} documents seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const server = buildServer({ db, verifyRateLimit: { burst: REQUESTS * 2, perSecond: REQUESTS } });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
    try {
      // The seed's code of document i: the first 16 hex digits of md5(i), upper case (all in Crockford's alphabet).
      const codeOf = (i: number) => createHash('md5').update(String(i)).digest('hex').slice(0, 16).toUpperCase();
      const right: number[] = [];
      const wrong: number[] = [];
      let seed = 42;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let k = 0; k < REQUESTS + 200; k++) {
        const i = 1 + Math.floor(rand() * N);
        const bad = k % 10 === 9;
        const code = bad ? '0000000000000000' : codeOf(i);
        const t = performance.now();
        const res = await fetch(`${url}/v/${number(i)}/${code}`, { headers: { accept: 'application/json' } });
        await res.arrayBuffer();
        const ms = performance.now() - t;
        if (res.status !== (bad ? 404 : 200)) throw new Error(`unexpected ${res.status} for ${number(i)}`);
        if (k < 200) continue; // warm-up
        (bad ? wrong : right).push(ms);
      }
      const all = [...right, ...wrong];
      const scaleNote = ctx.quick ? ` (quick: ${N} documents)` : '';
      figures.push(
        figure('verification.page-p99', percentile(all, 99), 'ms', 20, {
          note:
            `GET /v/<number>/<code> JSON, ${all.length} requests, PostgreSQL with ${N} documents${scaleNote}; ` +
            `p50 ${median(all).toFixed(2)} ms, p95 ${percentile(all, 95).toFixed(2)} ms; ` +
            `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
        }),
      );
      figures.push(
        figure('verification.wrong-code-p50', median(wrong), 'ms', Math.max(20, median(right) * 2), {
          note: `wrong codes answered 404 in a median ${median(wrong).toFixed(2)} ms, right codes 200 (counted) in ${median(right).toFixed(2)} ms`,
        }),
      );
    } finally {
      await server.close();
    }
  } finally {
    await db.close();
    await cluster.close();
  }
  return figures;
}
