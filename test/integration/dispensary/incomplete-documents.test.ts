/**
 * Atyrau app. 6–7 cl. 5(1): the medical registrar of the psychoneurological or narcology dispensary accepts the
 * documents and checks they are complete; an incomplete set ends the request with a motivated refusal at the
 * check, recorded with its reason in kk and ru, and the person is never sent to the cash desk. A complete set of a
 * person not on the register goes on to the journal entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { getOrganization, saveOrganization } from '../../../db/organization';
import { upsertPerson } from '../../../db/people';
import { closeApp, openApp, type AppContext } from '../../../electron/services/app';
import { DEMO_ACCOUNTS, seedDemoData } from '../../../electron/services/demo-data';
import { adoptRegionActs, caller, TEST_PASSWORD, tempDir, type Caller } from '../../helpers/app';
import { workingDayClock } from '../../helpers/clock';

const PERSON = makeIin('1987-06-07', 'M', 61);
const clock = workingDayClock('10:00', 'Asia/Atyrau');
let app: AppContext;
const as = async (login: string): Promise<Caller> => {
  const c = caller(app);
  await c.call('session.login', { login, password: TEST_PASSWORD });
  return c;
};

beforeAll(() => {
  ({ app } = openApp({ dataDir: tempDir(), clock: clock.read }));
  seedDemoData(app, { population: 10, passwords: Object.fromEntries(DEMO_ACCOUNTS.map((a) => [a.login, TEST_PASSWORD])) });
  saveOrganization(app.db, { ...getOrganization(app.db)!, region: 'atyrau', timezone: 'Asia/Atyrau' });
  adoptRegionActs(app);
  upsertPerson(
    app.db,
    {
      iin: PERSON,
      surname: 'Бекмұханов',
      givenName: 'Ерлан',
      patronymic: null,
      birthDate: '1987-06-07',
      sex: 'M',
      address: null,
      phone: null,
      source: 'register',
    },
    clock.now,
  );
});
afterAll(() => app && closeApp(app));

describe.each(['psychoneurological-certificate', 'narcology-certificate'])('%s: documents incomplete', (serviceId) => {
  it('ends at the check with a motivated refusal in kk and ru; no cash-desk step, no certificate', async () => {
    const registrar = await as('registrar');
    let r = await registrar.call('requests.start', { serviceId, channel: 'desk', iin: PERSON });
    const check = await registrar.call('registers.check', { requestId: r.id, documentsIncomplete: true, note: 'медициналық анықтама жоқ' });
    expect(check.found).toBe(false);
    r = await registrar.call('requests.get', { requestId: r.id });
    expect(r.status).toBe('refused');
    expect(r.steps).toHaveLength(1);
    expect(r.steps[0]).toMatchObject({
      stepId: 'documents-check',
      condition: 'documents-incomplete',
      refusal: { code: 'documents-incomplete' },
    });
    expect(r.steps[0]!.refusal!.reason.kk).toContain('құжаттар толық ұсынылмағандықтан');
    expect(r.steps[0]!.refusal!.reason.ru).toContain('неполный пакет документов');
    expect((await registrar.call('requests.extras', { requestId: r.id })).certificate).toBeNull();
    // The cashier never sees it: the request did not reach the cash desk.
    const cashier = await as('cashier');
    expect((await cashier.call('requests.queue', {})).rows.map((x) => x.id)).not.toContain(r.id);
  });

  it('a complete set of a person not on the register goes on to the journal entry', async () => {
    const registrar = await as('registrar');
    let r = await registrar.call('requests.start', { serviceId, channel: 'desk', iin: PERSON });
    await registrar.call('registers.check', { requestId: r.id });
    r = await registrar.call('requests.get', { requestId: r.id });
    expect(r.status).toBe('open');
    expect(r.steps.map((s) => s.stepId)).toEqual(['documents-check', 'journal-entry']);
  });
});
