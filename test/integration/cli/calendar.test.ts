/** `tirkeu calendar`: the deadline and every day on the way, read from the shipped calendar data. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../electron/cli/calendar';
import { PROJECT_ROOT } from '../../../electron/services/paths';

async function calendar(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

describe('tirkeu calendar', () => {
  it('issue 15: 3 working days from 22.09.2015 in Astana end on 28.09.2015, skipping Kurban ait and the weekend', async () => {
    const r = await calendar('--region', 'astana', '--from', '2015-09-22T10:00:00+06:00', '--add-working-days', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2015-09-22 Tue  day of receipt, not counted');
    expect(r.stdout).toContain('2015-09-24 Thu  skipped: holiday — Kurban ait');
    expect(r.stdout).toContain('2015-09-26 Sat  skipped: weekend');
    expect(r.stdout).toContain('2015-09-28 Mon  working day 3');
    expect(r.stdout).toContain('Deadline: 2015-09-28 20:00 Asia/Almaty (2015-09-28T14:00:00.000Z)');
    expect(r.stdout).toMatch(/Data for 2015: transfers partial/);
  });

  it('names moved days off and transfer acts, in the language asked, as JSON', async () => {
    const r = await calendar('--region', 'atyrau', '--from', '2019-07-05', '--add-working-days', '1', '--json', '--lang', 'ru');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.timeZone).toBe('Asia/Atyrau');
    expect(out.deadline).toBe('2019-07-09T15:00:00.000Z');
    expect(out.days.map((d: { date: string; note: string }) => `${d.date} ${d.note}`)).toEqual([
      '2019-07-05 day of receipt, not counted (working day)',
      '2019-07-06 skipped: holiday — День столицы',
      '2019-07-07 skipped: weekend',
      '2019-07-08 skipped: day off for День столицы on 2019-07-06 (a weekend day)',
      '2019-07-09 working day 1',
    ]);
    expect(out.dataChecks).toEqual([
      { year: 2019, transfers: 'decree', sources: [expect.stringContaining('zakon.kz')], note: expect.any(String) },
    ]);
  });

  it('tries out a new transfer act with --day-off / --working before it is in the data', async () => {
    const base = await calendar('--region', 'astana', '--from', '2027-01-06T10:00:00+05:00', '--add-working-days', '2', '--json');
    expect(JSON.parse(base.stdout).deadline).toBe('2027-01-11T15:00:00.000Z'); // 7 Jan Christmas, 8 Fri, 11 Mon
    const decree = await calendar(
      '--region',
      'astana',
      '--from',
      '2027-01-06T10:00:00+05:00',
      '--add-working-days',
      '2',
      '--day-off',
      '2027-01-08',
    );
    expect(decree.stdout).toContain('2027-01-08 Fri  skipped: day off by transfer: given with --day-off on the command line');
    expect(decree.stdout).toContain('Deadline: 2027-01-12 20:00');
  });

  it('refuses bad input naming the option', async () => {
    expect((await calendar('--region', 'nowhere', '--from', '2025-01-01', '--add-working-days', '1')).stderr).toContain(
      '--region: unknown region nowhere',
    );
    expect((await calendar('--region', 'astana', '--from', '2025-01-01T10:00', '--add-working-days', '1')).stderr).toContain(
      '--from must be',
    );
    expect((await calendar('--region', 'astana', '--from', '2025-01-01', '--add-working-days', '-1')).stderr).toContain(
      '--add-working-days must be',
    );
    const missing = await calendar('--region', 'astana', '--add-working-days', '1');
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([2, 'tirkeu calendar: --from is required']);
  });

  it('is a command of the tirkeu launcher', () => {
    const r = spawnSync(
      process.execPath,
      [path.join(PROJECT_ROOT, 'bin', 'tirkeu.mjs'), 'calendar', '--region', 'astana', '--from', '2013-10-14', '--add-working-days', '1'],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2013-10-15 Tue  skipped: holiday — Kurban ait');
    expect(r.stdout).toContain('Deadline: 2013-10-16 20:00 Asia/Almaty');
  });
});
