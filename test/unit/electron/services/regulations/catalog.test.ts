import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { definitionKey, RegulationValidationError } from '../../../../../common/regulations';
import { createCatalog, loadCalendarData, loadCatalog } from '../../../../../electron/services/regulations/catalog';

const resources = join(__dirname, '../../../../../resources');
const temps: string[] = [];
function copy(): string {
  const d = mkdtempSync(join(tmpdir(), 'tirkeu-regs-'));
  temps.push(d);
  cpSync(join(resources, 'regulations'), d, { recursive: true });
  return d;
}
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

function refused(fn: () => unknown): RegulationValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RegulationValidationError);
    return e as RegulationValidationError;
  }
  throw new Error('expected the set to be refused');
}

describe('regulation catalogue', () => {
  it('loads through index.json and finds a version by key', () => {
    const c = loadCatalog(join(resources, 'regulations'));
    const tb = c.byId('tb-certificate', 'atyrau', '2015-01-01')!;
    expect(c.byKey(definitionKey(tb))).toBe(tb);
    expect(c.fileOf(tb)).toBe('atyrau-2014/tb-certificate.json');
  });

  it('a broken file refuses the whole set, naming the file and field', () => {
    const d = copy();
    const file = join(d, 'atyrau-2014/tb-certificate.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.steps[0].role = 'clerk';
    writeFileSync(file, JSON.stringify(json));
    const e = refused(() => loadCatalog(d));
    expect(e.message).toContain('atyrau-2014/tb-certificate.json: steps[0].role: unknown role "clerk"');
  });

  it('names unreadable, non-JSON and escaping index entries', () => {
    const d = copy();
    writeFileSync(join(d, 'atyrau-2014/hiv-examination.json'), '{ not json');
    const index = JSON.parse(readFileSync(join(d, 'index.json'), 'utf8'));
    index.files.push('missing.json', '../outside.json');
    writeFileSync(join(d, 'index.json'), JSON.stringify(index));
    const e = refused(() => loadCatalog(d));
    const where = e.issues.map((i) => `${i.file}:${i.path}`);
    expect(where).toEqual(expect.arrayContaining(['atyrau-2014/hiv-examination.json:', 'missing.json:', 'index.json:files[11]']));
  });

  it('an import with an overlapping period is refused and the catalogue stays as it was', () => {
    const c = loadCatalog(join(resources, 'regulations'));
    const tb = JSON.parse(readFileSync(join(resources, 'regulations/atyrau-2014/tb-certificate.json'), 'utf8'));
    const early = { ...tb, effectiveFrom: '2015-06-01', effectiveTo: null, fee: { ...tb.fee, kzt: 0 } };
    const e = refused(() => c.withFiles([{ file: 'import/tb-2015.json', data: early }]));
    expect(e.message).toContain('import/tb-2015.json: effectiveFrom:');
    expect(c.all).toHaveLength(10);

    // The shipped act ends on 2015-11-02 (its repeal): a successor from the next day takes effect on its date.
    const next = { ...early, effectiveFrom: '2015-11-03' };
    const c3 = c.withFiles([{ file: 'import/tb-2015.json', data: next }]);
    expect(c3.byId('tb-certificate', 'atyrau', '2015-11-02')!.fee.kzt).toBe(1000);
    expect(c3.byId('tb-certificate', 'atyrau', '2015-11-03')!.fee.kzt).toBe(0);
  });

  it('a repealed act applies after its end only where the organization adopted it, until the adoption closes', () => {
    const files = loadCatalog(join(resources, 'regulations')).files;
    expect(createCatalog(files).inForce('atyrau', '2016-06-01')).toEqual([]);
    const act = { number: '150', date: '2014-05-23', issuer: { kk: 'Атырау', ru: 'Атырау' }, effectiveTo: '2015-11-02' };
    const adoption = {
      key: 'atyrau/150',
      region: 'atyrau',
      act,
      adoptedAt: '2016-05-30T04:00:00.000Z',
      adoptedBy: { login: 'admin', fullName: 'Әкімші' },
      reason: 'Жаңа акт жоқ',
      closed: null,
    };
    const c = createCatalog(files, { adoptions: [adoption] });
    expect(c.inForce('atyrau', '2016-06-01')).toHaveLength(7);
    expect(c.inForceByAct('atyrau', '2016-06-01')).toEqual([]);
    const tb = c.byId('tb-certificate', 'atyrau', '2016-06-01')!;
    expect(c.adoptionOf(tb, '2016-06-01')).toBe(adoption);
    expect(c.adoptionOf(tb, '2015-11-02')).toBeUndefined(); // in force by itself that day
    expect(c.inForce('astana', '2016-06-01')).toEqual([]); // an adoption is of one act of one region

    const closed = {
      ...adoption,
      closed: { at: '2016-07-01T04:00:00.000Z', by: adoption.adoptedBy, on: '2016-07-01', reason: 'x', successorKey: null },
    };
    const c2 = createCatalog(files, { adoptions: [closed] });
    expect(c2.inForce('atyrau', '2016-06-30')).toHaveLength(7);
    expect(c2.inForce('atyrau', '2016-07-01')).toEqual([]);

    // A definition in force wins over the adopted one.
    const tbFile = files.find((f) => f.file === 'atyrau-2014/tb-certificate.json')!.data as Record<string, unknown>;
    const successor = { ...tbFile, act: { ...(tbFile.act as object), number: '999' }, effectiveFrom: '2016-06-15', effectiveTo: null };
    const c3 = createCatalog([...files, { file: 'import/tb.json', data: successor }], { adoptions: [adoption] });
    expect(c3.byId('tb-certificate', 'atyrau', '2016-06-15')!.act.number).toBe('999');
    expect(c3.byId('home-visit', 'atyrau', '2016-06-15')!.act.number).toBe('150');
  });

  it('loads the country calendar', () => {
    expect(loadCalendarData(resources).country).toBe('KZ');
  });
});
