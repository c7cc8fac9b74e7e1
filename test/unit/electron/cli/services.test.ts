import { describe, expect, it } from 'vitest';
import { run } from '../../../../electron/cli/services';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await run(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

describe('tirkeu services --json', () => {
  it('prints the services in force for a region and date', async () => {
    const r = await cli('--json', '--region', 'atyrau', '--at', '2014-08-01');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as any[];
    expect(list).toHaveLength(7);
    const tb = list.find((s) => s.id === 'tb-certificate');
    expect(Object.keys(tb)).toEqual(['id', 'region', 'title', 'effectiveFrom', 'effectiveTo', 'steps']);
    expect(tb.title).toEqual({ kk: 'Туберкулез диспансерінен анықтама беру', ru: expect.any(String), en: expect.any(String) });
    expect(tb.steps).toEqual([
      { id: 'register-check', role: 'operator', maxMinutes: 15 },
      { id: 'journal-entry', role: 'operator', maxMinutes: 15 },
      { id: 'payment', role: 'cashier', maxMinutes: 15 },
      { id: 'sign-issue', role: 'physician/phthisiatrician', maxMinutes: 15 },
    ]);
    const hiv = list.find((s) => s.id === 'hiv-examination');
    expect(hiv.steps[2]).toEqual({ id: 'post-test-counselling', role: 'physician/counselling', maxWorkingDays: 3 });
  });

  it('prints every region without --region, and nothing before the acts took effect', async () => {
    expect(JSON.parse((await cli('--json', '--at', '2014-08-01')).out)).toHaveLength(10);
    expect(JSON.parse((await cli('--json', '--at', '2015-01-01')).out)).toHaveLength(7); // Astana's act repealed
    expect(JSON.parse((await cli('--json', '--at', '2013-01-15')).out)).toHaveLength(0);
    expect(JSON.parse((await cli('--json', '--region', 'astana', '--at', '2013-02-18T19:30:00Z')).out)).toHaveLength(3);
  });

  it('lists no service of a repealed act, and says that no act is in force', async () => {
    const r = await cli('--json', '--region', 'atyrau', '--at', '2016-06-01');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([]);
    expect(r.err).toContain('no act is in force in region atyrau on 2016-06-01');
    expect(r.err).toContain('No. 150 of 2014-05-23, repealed by No. 328 of 2015-10-23, was in force until 2015-11-02');
    const lastDay = await cli('--json', '--region', 'atyrau', '--at', '2015-11-02');
    expect(JSON.parse(lastDay.out)).toHaveLength(7);
    expect(lastDay.err).toBe('');
    const astana = await cli('--json', '--region', 'astana', '--at', '2014-09-09');
    expect(JSON.parse(astana.out)).toEqual([]);
    expect(astana.err).toContain('No. 106-1923 of 2012-12-29, repealed by No. 06-1451 of 2014-08-29, was in force until 2014-09-08');
  });

  it('refuses bad arguments with exit code 2', async () => {
    expect((await cli('--json', '--region', 'mars')).code).toBe(2);
    expect((await cli('--json', '--at', 'yesterday')).code).toBe(2);
    expect((await cli('--json', '--at', '2014-02-30')).code).toBe(2);
    expect((await cli('--json', '--region')).code).toBe(2);
    expect((await cli('--region', 'astana')).code).toBe(2);
    expect((await cli('--json', '--tz', 'Mars/Base')).code).toBe(2);
  });
});
