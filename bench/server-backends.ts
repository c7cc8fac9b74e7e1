/**
 * The central server the sync benches measure against, on each backend this machine has: embedded PGlite always,
 * and a throwaway PostgreSQL cluster from Debian's binaries when they are installed (said in the log otherwise).
 * Each backend gets a fresh database and a real HTTP server on loopback, closed after its figures are taken.
 */
import path from 'node:path';
import { buildServer } from '../server/app';
import { openServerDb, type ServerDb } from '../server/db';
import { findPostgresBin, startPostgres, type PgCluster } from '../test/helpers/postgres';
import type { BenchContext } from './types';

export type ServerBackend = 'pglite' | 'postgres';

export async function forEachServerBackend(
  ctx: BenchContext,
  label: string,
  measure: (db: ServerDb, url: string, backend: ServerBackend) => Promise<void>,
): Promise<void> {
  const backends: ServerBackend[] = ['pglite'];
  try {
    findPostgresBin();
    backends.push('postgres');
  } catch (error) {
    ctx.log(`${label}: PostgreSQL not measured — ${(error as Error).message}`);
  }
  let cluster: PgCluster | null = null;
  try {
    for (const backend of backends) {
      let db: ServerDb;
      if (backend === 'postgres') {
        cluster ??= await startPostgres();
        db = await openServerDb({ databaseUrl: await cluster.createDatabase() });
      } else db = await openServerDb({ dataDir: path.join(ctx.dir, `${label}-pglite`) });
      const server = buildServer({ db });
      await server.listen({ host: '127.0.0.1', port: 0 });
      const url = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
      try {
        await measure(db, url, backend);
      } finally {
        await server.close();
        await db.close();
      }
    }
  } finally {
    await cluster?.close();
  }
}

/** Seconds `fn` took. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}
