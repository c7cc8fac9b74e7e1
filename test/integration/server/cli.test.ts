/**
 * The central server's command line (server/cli.ts) on a PGlite data folder with no server running: an enrollment
 * code carries the organization's profile to the desks; a profile file with a mistake is refused, naming the field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../server/cli';
import { openServerDb } from '../../../server/db';
import { previewEnrollment } from '../../../server/enrollment';
import { tempDir } from '../../helpers/app';
import { freshPgliteDir } from '../../helpers/sync-server';

const BIN = '120140001015';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), env: {} as NodeJS.ProcessEnv }, out, err };
}

describe('tirkeu-server enroll-code', () => {
  it('makes a code whose preview shows the organization profile; a bad profile names the field', { timeout: 60_000 }, async () => {
    const data = tempDir('tirkeu-server-cli-');
    fs.cpSync(await freshPgliteDir(), path.join(data, 'pglite'), { recursive: true });
    const file = path.join(data, 'org.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ name: { kk: '№4 емхана', ru: 'Поликлиника №4', en: '' }, region: 'astana', timezone: 'Asia/Almaty', address: '' }),
    );
    const ok = io();
    expect(await main(['enroll-code', '--org', BIN, '--profile', file, '--data', data], ok.io)).toBe(0);
    const code = /: ([0-9A-Z]{4}(-[0-9A-Z]{4}){3})\n/.exec(ok.out.join(''))?.[1];
    expect(code).toBeTruthy();

    fs.writeFileSync(file, JSON.stringify({ name: { kk: '', ru: 'x', en: '' }, region: 'Astana!', timezone: 'Asia/Almaty', address: '' }));
    const bad = io();
    expect(await main(['enroll-code', '--org', BIN, '--profile', file, '--data', data], bad.io)).toBe(2);
    expect(bad.err.join('')).toMatch(/name\.kk/);
    expect(bad.err.join('')).toMatch(/region/);

    const db = await openServerDb({ dataDir: path.join(data, 'pglite') });
    try {
      expect(await previewEnrollment(db, code!)).toMatchObject({
        org_bin: BIN,
        organization: { name: { kk: '№4 емхана' }, region: 'astana' },
      });
    } finally {
      await db.close();
      fs.rmSync(data, { recursive: true, force: true });
    }
  });
});
