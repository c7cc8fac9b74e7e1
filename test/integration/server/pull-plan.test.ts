/**
 * The server side of the pull page (issue 12): the page query of server/pull.ts `pull` must seek the
 * organization's change log by (org_bin, seq) — change_log_by_org — and read it in order, not walk the log of every
 * organization. `pull` runs against a recording connection; the plan of exactly the statements it ran is read with
 * EXPLAIN on PGlite with sequential scans disabled, so a small test table cannot hide a missing index.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDb, type ServerDb, type Sql } from '../../../server/db';
import { encodeCursor, pull } from '../../../server/pull';
import { freshPgliteDir } from '../../helpers/sync-server';

let db: ServerDb;
let dir: string;

beforeAll(async () => {
  dir = await freshPgliteDir();
  db = await openServerDb({ dataDir: dir });
  for (const org of ['123456789021', '987654321098']) {
    for (let i = 1; i <= 3; i++) {
      for (const table of ['change_log', 'change_current'])
        await db.query(`INSERT INTO ${table} (seq, org_bin, kind, key, payload) VALUES ($1, $2, 'staff', $3, '{}')`, [
          (org.startsWith('1') ? 0 : 10) + i,
          org,
          `k${i}`,
        ]);
    }
  }
});

afterAll(async () => {
  await db?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function planOfPage(cursor: string | undefined, table: string): Promise<string> {
  const executed: Array<{ text: string; params: unknown[] }> = [];
  const recording: Sql = {
    query: (text, params = []) => {
      executed.push({ text, params });
      return db.query(text, params);
    },
  };
  const page = JSON.parse(await pull(recording, { id: 'ws-other', orgBin: '123456789021' }, cursor, 2)) as { rows: unknown[] };
  expect(page.rows).toHaveLength(2);

  const pageQueries = executed.filter((e) => new RegExp(`\\bFROM ${table}\\b`).test(e.text) && /\bORDER BY seq\b/.test(e.text));
  expect(pageQueries).toHaveLength(1);
  const plan = await db.transaction(async (tx) => {
    await tx.query('SET LOCAL enable_seqscan = off');
    const r = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${pageQueries[0]!.text}`, pageQueries[0]!.params);
    return r.rows.map((row) => row['QUERY PLAN']);
  });
  return plan.join('\n');
}

describe('the pull page on the server', () => {
  it('seeks the change log by organization and sequence', async () => {
    const text = await planOfPage(encodeCursor(0), 'change_log');
    expect(text).toMatch(/Index (Only )?Scan using change_log_by_org on change_log/);
    expect(text).toMatch(/Index Cond: \(\(org_bin = .*\) AND \(seq > .*\)\)/);
    expect(text).not.toMatch(/Seq Scan|Sort/);
  });

  it('seeks the snapshot of a new desk by organization and sequence', async () => {
    const text = await planOfPage(undefined, 'change_current');
    expect(text).toMatch(/Index Scan using change_current_by_seq on change_current/);
    expect(text).toMatch(/Index Cond: \(\(org_bin = .*\) AND \(seq > .*\)\)/);
    expect(text).not.toMatch(/Seq Scan|Sort/);
  });
});
