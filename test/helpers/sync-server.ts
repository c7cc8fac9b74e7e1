/**
 * The central server for tests: in-process (Fastify on a random loopback port) or as a child process that can be
 * killed, on PGlite (a copy of a migrated template folder: PGlite's initdb takes seconds) or on a database of a
 * throwaway PostgreSQL cluster.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PROJECT_ROOT } from '../../electron/services/paths';
import { buildServer, type ServerAppOptions } from '../../server/app';
import { openServerDb, type ServerDb } from '../../server/db';
import { SERVER_MIGRATIONS } from '../../server/migrations/index';
import { createEnrollmentCode } from '../../server/enrollment';
import { getOrganization } from '../../db/organization';
import { createTestWorkstation, tempDir, type TestWorkstation } from './app';
import type { PgCluster } from './postgres';
import { prng } from '../../electron/services/demo-population';

export type Backend = 'pglite' | 'postgres';

/**
 * A migrated PGlite data folder, built once per machine and migration set, copied for each server. It lives in the
 * folder that outlives a test run (test/temp-root.ts), not in the run's own.
 */
export async function pgliteTemplate(): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(SERVER_MIGRATIONS)).digest('hex').slice(0, 12);
  const cache = process.env.TIRKEU_TEST_CACHE ?? os.tmpdir();
  const final = path.join(cache, `tirkeu-pglite-template-${hash}`);
  if (fs.existsSync(path.join(final, 'PG_VERSION'))) return final;
  const building = fs.mkdtempSync(path.join(cache, 'tirkeu-pglite-build-'));
  const db = await openServerDb({ dataDir: building });
  await db.close();
  try {
    fs.renameSync(building, final);
  } catch {
    fs.rmSync(building, { recursive: true, force: true }); // another worker won the race
  }
  return final;
}

export async function freshPgliteDir(): Promise<string> {
  const template = await pgliteTemplate();
  const dir = tempDir('tirkeu-pglite-');
  fs.cpSync(template, dir, { recursive: true });
  return dir;
}

export interface TestServer {
  url: string;
  db: ServerDb;
  app: FastifyInstance;
  backend: Backend;
  code(orgBin: string): Promise<string>;
  close(): Promise<void>;
}

export async function openBackendDb(
  backend: Backend,
  cluster?: PgCluster,
): Promise<{ db: ServerDb; location: { dataDir?: string; databaseUrl?: string } }> {
  if (backend === 'postgres') {
    if (!cluster) throw new Error('a PostgreSQL cluster is needed');
    const databaseUrl = await cluster.createDatabase();
    return { db: await openServerDb({ databaseUrl }), location: { databaseUrl } };
  }
  const dataDir = await freshPgliteDir();
  return { db: await openServerDb({ dataDir }), location: { dataDir } };
}

export async function startTestServer(
  backend: Backend,
  cluster?: PgCluster,
  options: Omit<ServerAppOptions, 'db'> & { db?: ServerDb } = {},
): Promise<TestServer> {
  const db = options.db ?? (await openBackendDb(backend, cluster)).db;
  const app = buildServer({ ...options, db });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    app,
    backend,
    code: async (orgBin) => (await createEnrollmentCode(db, { orgBin, now: options.clock?.() })).code,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/** The server as its own process (`server/main.ts`), to be killed with SIGKILL and started again. */
export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  kill(): Promise<void>;
}

export async function spawnServer(opts: { dataDir: string; databaseUrl?: string; port: number }): Promise<ServerProcess> {
  const env = { ...process.env, DATABASE_URL: opts.databaseUrl ?? '' };
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'server', 'main.ts'), '--data', opts.dataDir, '--port', String(opts.port), '--quiet'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  proc.stdout!.on('data', (c) => (output += c));
  proc.stderr!.on('data', (c) => (output += c));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 60_000);
    const check = () => {
      if (output.includes('central server on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}): ${output}`));
    });
  });
  proc.removeAllListeners('exit');
  return {
    url: `http://127.0.0.1:${opts.port}`,
    proc,
    kill: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      }),
  };
}

/** A test workstation enrolled with the server as its administrator would do it. */
export async function enrolledWorkstation(serverUrl: string, code: (orgBin: string) => Promise<string>): Promise<TestWorkstation> {
  const ws = createTestWorkstation({ population: 5 });
  const bin = getOrganization(ws.app.db)!.bin;
  const admin = await ws.as('admin');
  await admin.call('sync.enroll', { serverUrl, code: await code(bin) });
  return ws;
}

/** Seeded pseudo-random numbers: the same generator as the demo population. */
export const seededRandom = prng;
