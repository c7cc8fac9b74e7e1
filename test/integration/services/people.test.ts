import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { listAudit } from '../../../db/audit';
import { listOutbox } from '../../../db/outbox';
import { upsertPerson } from '../../../db/people';
import { createTestWorkstation, type TestWorkstation } from '../../helpers/app';

let ws: TestWorkstation;
beforeEach(() => {
  ws = createTestWorkstation({ population: 50 });
  const now = ws.app.clock();
  const base = { patronymic: null, address: 'Астана қ.', phone: null, source: 'register' as const };
  upsertPerson(
    ws.app.db,
    {
      ...base,
      iin: makeIin('1985-03-01', 'F', 11),
      surname: 'Қасымова',
      givenName: 'Динара',
      patronymic: 'Маратқызы',
      birthDate: '1985-03-01',
      sex: 'F',
    },
    now,
  );
  upsertPerson(
    ws.app.db,
    { ...base, iin: makeIin('1979-07-12', 'M', 13), surname: 'Қасымов', givenName: 'Ерлан', birthDate: '1979-07-12', sex: 'M' },
    now,
  );
  upsertPerson(
    ws.app.db,
    { ...base, iin: makeIin('1990-01-20', 'M', 15), surname: 'Семёнов', givenName: 'Пётр', birthDate: '1990-01-20', sex: 'M' },
    now,
  );
});
afterEach(() => ws.close());

describe('finding a person', () => {
  it('finds by IIN', async () => {
    const reg = await ws.as('registrar');
    const iin = makeIin('1985-03-01', 'F', 11);
    expect(await reg.call('people.findByIin', { iin })).toMatchObject({ iin, surname: 'Қасымова', source: 'register' });
  });

  it('says why an IIN is invalid, and returns null for a valid IIN not in the register', async () => {
    const reg = await ws.as('registrar');
    expect(await reg.raw('people.findByIin', { iin: '850301400112' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-iin', params: { reason: 'checksum' } },
    });
    expect(await reg.raw('people.findByIin', { iin: '85030140011' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-iin', params: { reason: 'length' } },
    });
    expect(await reg.call('people.findByIin', { iin: makeIin('2001-05-05', 'M', 77) })).toBeNull();
  });

  it('finds by Kazakh name prefixes in any case and from a Russian keyboard', async () => {
    const reg = await ws.as('registrar');
    const names = async (q: string) =>
      (await reg.call('people.search', { query: q, limit: 20 })).people.map((p) => `${p.surname} ${p.givenName}`);
    expect(await names('қасым')).toEqual(expect.arrayContaining(['Қасымова Динара', 'Қасымов Ерлан']));
    expect(await names('КАСЫМ')).toEqual(expect.arrayContaining(['Қасымова Динара', 'Қасымов Ерлан']));
    expect(await names('Қасымова Д')).toEqual(['Қасымова Динара']);
    expect(await names('қас ер')).toEqual(['Қасымов Ерлан']);
    expect(await names('Семенов П')).toEqual(['Семёнов Пётр']);
    expect(await names('семенов')).toEqual(expect.arrayContaining(['Семёнов Пётр']));
    expect(await names('Жжжжж')).toEqual([]);
  });

  it('searches by the first digits of an IIN', async () => {
    const reg = await ws.as('registrar');
    const res = await reg.call('people.search', { query: '850301', limit: 5 });
    expect(res.people.every((p) => p.iin.startsWith('850301'))).toBe(true);
    expect(res.people.length).toBeGreaterThan(0);
  });

  it('says when there are more results than shown', async () => {
    const reg = await ws.as('registrar');
    const res = await reg.call('people.search', { query: 'а', limit: 1 });
    expect(res.people).toHaveLength(1);
  });
});

describe('entering a person by hand', () => {
  it('derives birth date and sex from the IIN, flags the record and writes audit and outbox', async () => {
    const reg = await ws.as('registrar');
    const iin = makeIin('2003-11-09', 'F', 21);
    const p = await reg.call('people.createManual', {
      iin,
      surname: 'Әбдірахманова',
      givenName: 'Әйгерім',
      patronymic: null,
      phone: '+7 701 111 22 33',
      address: 'Астана қ., Тұран д-лы, 5',
    });
    expect(p).toMatchObject({ iin, birthDate: '2003-11-09', sex: 'F', source: 'manual' });
    expect(await reg.call('people.findByIin', { iin })).toMatchObject({ source: 'manual' });
    expect(listAudit(ws.app.db, { entity: 'person', entityId: iin })).toHaveLength(1);
    expect(listOutbox(ws.app.db).find((o) => o.entityId === iin)).toMatchObject({ kind: 'person.manual' });
  });

  it('refuses a duplicate IIN, an invalid IIN and names with digits, saving nothing', async () => {
    const reg = await ws.as('registrar');
    const existing = makeIin('1985-03-01', 'F', 11);
    const outboxBefore = listOutbox(ws.app.db).length;
    expect(await reg.raw('people.createManual', { iin: existing, surname: 'Басқа', givenName: 'Адам' })).toMatchObject({
      ok: false,
      error: { code: 'duplicate-iin' },
    });
    expect(await reg.raw('people.createManual', { iin: '111111111111', surname: 'Басқа', givenName: 'Адам' })).toMatchObject({
      ok: false,
      error: { code: 'validation', fields: ['iin'] },
    });
    expect(await reg.raw('people.createManual', { iin: makeIin('2000-01-01', 'M', 5), surname: 'R2D2', givenName: 'Адам' })).toMatchObject({
      ok: false,
      error: { code: 'validation', fields: ['surname'] },
    });
    expect(listOutbox(ws.app.db)).toHaveLength(outboxBefore);
    expect((await reg.call('people.findByIin', { iin: existing }))?.surname).toBe('Қасымова');
  });

  it('a cashier may look people up but not enter them', async () => {
    const cashier = await ws.as('cashier');
    expect(await cashier.raw('people.search', { query: 'қас' })).toMatchObject({ ok: true });
    expect(
      await cashier.raw('people.createManual', { iin: makeIin('2000-01-01', 'M', 5), surname: 'Адам', givenName: 'Адам' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('a full disk is a clear storage error and nothing is half-written', async () => {
    const reg = await ws.as('registrar');
    // Cap the file at its current size: the next page SQLite needs fails with SQLITE_FULL, as on a full disk.
    const pages = ws.app.db.pragma('page_count', { simple: true }) as number;
    ws.app.db.pragma(`max_page_count = ${pages}`);
    const auditBefore = listAudit(ws.app.db, { limit: 1000 }).length;
    let r;
    for (let i = 0; i < 200; i++) {
      r = await reg.raw('people.createManual', {
        iin: makeIin('2004-02-02', 'M', 100 + i * 4),
        surname: 'Толықдиск'.repeat(8),
        givenName: 'Адам',
        address: 'x'.repeat(190),
      });
      if (!r.ok) break;
    }
    expect(r).toMatchObject({ ok: false, error: { code: 'storage' } });
    ws.app.db.pragma('max_page_count = 1073741823');
    const saved = listAudit(ws.app.db, { limit: 1000 }).length - auditBefore;
    // Every person that was reported saved has its audit entry; the failed one left neither.
    expect(ws.app.db.prepare("SELECT count(*) AS n FROM person WHERE source = 'manual'").get()).toEqual({ n: saved });
  });
});
