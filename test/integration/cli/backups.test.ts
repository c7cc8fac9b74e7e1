/** `tirkeu backup`, `backups` and `restore` on a real data folder: the same service as the Administration screen. */
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { upsertPerson } from '../../../db/people';
import { main } from '../../../electron/cli';
import { createTestWorkstation, type TestWorkstation } from '../../helpers/app';

let ws: TestWorkstation | null = null;
afterEach(async () => {
  // Each command's log file opens asynchronously: let it open before the folder goes.
  await new Promise((r) => setTimeout(r, 200));
  ws?.close();
  ws = null;
});

async function tirkeu(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (to: string[]) => Object.assign(new PassThrough(), { write: (s: string) => (to.push(String(s)), true) });
  const code = await main(argv, { stdout: sink(out), stderr: sink(err), stdin: new PassThrough(), env: {} });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('tirkeu backup / backups / restore', () => {
  it('copies, lists, previews without --yes and restores with it', async () => {
    ws = createTestWorkstation({ population: 12 });
    const dir = ws.dir;
    ws.app.db.close(); // the CLI opens the folder itself, as on a machine where the application is closed

    const b = await tirkeu('backup', '--data', dir);
    expect(b.code).toBe(0);
    const name = b.stdout.trim().split(/[\\/]/).pop()!.split(' ')[0]!;
    expect(fs.existsSync(`${dir}/backups/${name}`)).toBe(true);
    expect((await tirkeu('backups', '--data', dir)).stdout).toContain(name);

    const { openApp } = await import('../../../electron/services/app');
    const { app } = openApp({ dataDir: dir });
    const iin = makeIin('1990-01-01', 'M', 55);
    const person = { iin, surname: 'Қосымша', givenName: 'Адам', patronymic: null, birthDate: '1990-01-01', sex: 'M' as const };
    upsertPerson(app.db, { ...person, address: null, phone: null, source: 'manual' }, '2026-01-01T00:00:00Z');
    app.db.close();

    const preview = await tirkeu('restore', name, '--data', dir);
    expect(preview.code).toBe(2);
    expect(preview.stdout).toMatch(/people\s+12\s+13/);
    expect(preview.stderr).toMatch(/--yes/);

    const done = await tirkeu('restore', name, '--yes', '--data', dir);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/before-restore/);
    const again = openApp({ dataDir: dir }).app;
    expect(again.db.prepare('SELECT count(*) AS n FROM person').get()).toEqual({ n: 12 });
    again.db.close();

    expect((await tirkeu('restore', 'nothing.bak', '--yes', '--data', dir)).code).toBe(1);
  });
});
