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
    const tb = c.byId('tb-certificate', 'atyrau', '2020-01-01')!;
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
    const next = { ...tb, effectiveFrom: '2015-11-03', fee: { ...tb.fee, kzt: 0 } };
    const e = refused(() => c.withFiles([{ file: 'import/tb-2015.json', data: next }]));
    expect(e.message).toContain('import/tb-2015.json: effectiveFrom:');
    expect(c.all).toHaveLength(10);

    // Closing the old version first makes the successor take effect on its date.
    const closed = c.files.map((f) =>
      f.file === 'atyrau-2014/tb-certificate.json' ? { ...f, data: { ...tb, effectiveTo: '2015-11-02' } } : f,
    );
    const c3 = createCatalog(closed).withFiles([{ file: 'import/tb-2015.json', data: next }]);
    expect(c3.byId('tb-certificate', 'atyrau', '2015-11-02')!.fee.kzt).toBe(1000);
    expect(c3.byId('tb-certificate', 'atyrau', '2015-11-03')!.fee.kzt).toBe(0);
  });

  it('loads the country calendar', () => {
    expect(loadCalendarData(resources).country).toBe('KZ');
  });
});
