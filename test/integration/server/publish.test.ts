/**
 * Issue 13, point 6: a large publish is sent in chunks instead of failing with 413. The server CLI publishes
 * 100,000 rows through the running server's admin route (PGlite) and straight into PostgreSQL (DATABASE_URL); the
 * admin route refuses an over-large single request with a message saying to chunk it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../common/sync-protocol';
import { main as cli } from '../../../server/cli';
import { publishChunks } from '../../../server/change-log';
import { SERVER_STATE_FILE, startServer } from '../../../server/main';
import { openServerDb } from '../../../server/db';
import { tempDir } from '../../helpers/app';
import { startPostgres, type PgCluster } from '../../helpers/postgres';
import { pgliteTemplate } from '../../helpers/sync-server';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.close();
});

const ORG = '120140001011';
const ROWS = 100_000;

function writeRows(dir: string): string {
  const file = path.join(dir, 'rows.json');
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    kind: i % 3 ? 'staff' : 'price',
    key: `r${i}`,
    payload: { i, name: 'Асқар Нұрланұлы', hours: ['08:00', '17:00'] },
  }));
  fs.writeFileSync(file, JSON.stringify(rows));
  return file;
}

function io(env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), env }, out, err };
}

describe('publishing a large reference set', () => {
  it('splits by rows and by bytes', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ kind: 'k', key: `${i}`, payload: 'x'.repeat(i === 5 ? 500 : 10) }));
    expect(publishChunks(rows, 5, 10_000).map((c) => c.length)).toEqual([5, 5, 2]);
    const byBytes = publishChunks(rows, 100, 300);
    expect(byBytes.flat()).toEqual(rows);
    expect(byBytes.some((c) => c.length === 1 && c[0]!.key === '5')).toBe(true); // a row over the cap goes alone
  });

  it('publishes 100,000 rows through the running PGlite server in chunks; one oversized request gets 413', async () => {
    const dir = tempDir('tirkeu-publish-');
    fs.cpSync(await pgliteTemplate(), path.join(dir, 'pglite'), { recursive: true });
    const server = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir, logger: false });
    try {
      const file = writeRows(dir);
      const run = io({});
      expect(await cli(['publish', '--org', ORG, '--data', dir, file], run.io)).toBe(0);
      expect(run.out.join('')).toContain(`Published ${ROWS} reference rows`);
      const n = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM change_current WHERE org_bin = $1`, [ORG]);
      expect(Number(n.rows[0]!.n)).toBe(ROWS);

      const state = JSON.parse(fs.readFileSync(path.join(dir, SERVER_STATE_FILE), 'utf8')) as { adminUrl: string; adminToken: string };
      const rows = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown[];
      const r = await fetch(`${state.adminUrl}/admin/publish`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tirkeu-admin': state.adminToken },
        body: JSON.stringify({ org: ORG, rows: rows.slice(0, LIMITS.publishMaxRows + 1) }),
      });
      expect(r.status).toBe(413);
      expect(((await r.json()) as { message: string }).message).toMatch(/in chunks/);
      const bad = await fetch(`${state.adminUrl}/admin/publish`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tirkeu-admin': state.adminToken },
        body: JSON.stringify({ org: ORG, rows: [{ kind: 'staff', payload: {} }] }),
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(/rows\[0\]\.key/);
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('publishes 100,000 rows straight into PostgreSQL', async () => {
    const dir = tempDir('tirkeu-publish-pg-');
    const url = await cluster.createDatabase();
    try {
      const run = io({ DATABASE_URL: url });
      expect(await cli(['publish', '--org', ORG, '--data', dir, writeRows(dir)], run.io)).toBe(0);
      const db = await openServerDb({ databaseUrl: url });
      try {
        const n = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM change_log WHERE org_bin = $1`, [ORG]);
        expect(Number(n.rows[0]!.n)).toBe(ROWS);
      } finally {
        await db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
