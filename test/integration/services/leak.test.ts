/**
 * The leak test (issue 14, need to know): every kind of sensitive record is seeded through the real API (a person on
 * each register and the request refused because of it, a confidential HIV examination with a positive result, an
 * anonymous one with its code), then every method of the contract is called as every demo account with plausible
 * arguments (the ids of the seeded records; refusals are accepted), and every answer, errors included, is searched
 * for what the caller's role must not see. The policy is the table `SECRETS`: what is secret and who may see it.
 *
 * What a caller typed itself is not a leak: a needle found in the call's own arguments is not looked for in its
 * answer. PDFs are compressed streams and are not searched (their access is checked by the dispensary tests).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS, type ApiMethod } from '../../../common/api';
import { makeIin } from '../../../common/iin';
import { getOrganization, saveOrganization } from '../../../db/organization';
import { upsertPerson } from '../../../db/people';
import { closeApp, openApp, type AppContext } from '../../../electron/services/app';
import { DEMO_ACCOUNTS, seedDemoData } from '../../../electron/services/demo-data';
import { silentLogger } from '../../../electron/services/log';
import { resetWorkflowCaches } from '../../../electron/services/workflow/context';
import { adoptRegionActs, caller, TEST_PASSWORD, tempDir, type Caller } from '../../helpers/app';
import { workingDayClock } from '../../helpers/clock';

const clock = workingDayClock('10:00', 'Asia/Atyrau');
const TODAY = clock.today('Asia/Atyrau');

/** The seeded people: each one's IIN and surname are the needles of the records about them. */
const PEOPLE = {
  tb: { iin: makeIin('1979-01-02', 'F', 301), surname: 'Туберкулёва' },
  psychiatric: { iin: makeIin('1981-02-03', 'M', 302), surname: 'Психиатров' },
  narcology: { iin: makeIin('1983-03-04', 'M', 303), surname: 'Наркологов' },
  hiv: { iin: makeIin('1990-03-04', 'F', 304), surname: 'Құпиябаева' },
} as const;

const HIV_NOTE = 'консультация проведена';
const EVERY_LOGIN = DEMO_ACCOUNTS.map((a) => a.login);

/**
 * The policy: each secret, the logins (demo accounts: a role, and a specialty for physicians) allowed to see it.
 * Register membership: the dispensary's desk role and the physician who signs. The condition `on-register` names
 * no one by itself: every register's viewers may see the word. HIV: the counselling physician and the nurse.
 */
const SECRETS: ReadonlyArray<{ what: string; needles: () => string[]; allowed: readonly string[] }> = [
  { what: 'TB register membership', needles: () => [PEOPLE.tb.iin, PEOPLE.tb.surname], allowed: ['operator', 'phthisiatrician'] },
  {
    what: 'psychiatric register membership',
    needles: () => [PEOPLE.psychiatric.iin, PEOPLE.psychiatric.surname],
    allowed: ['registrar', 'psychiatrist'],
  },
  {
    what: 'narcology register membership',
    needles: () => [PEOPLE.narcology.iin, PEOPLE.narcology.surname],
    allowed: ['registrar', 'narcologist'],
  },
  {
    what: 'a register answer',
    needles: () => ['on-register'],
    allowed: ['operator', 'registrar', 'phthisiatrician', 'psychiatrist', 'narcologist'],
  },
  {
    what: 'a confidential HIV examination’s person',
    needles: () => [PEOPLE.hiv.iin, PEOPLE.hiv.surname],
    allowed: ['counsellor', 'nurse'],
  },
  { what: 'an HIV result', needles: () => ['"positive"', 'positive-follow-up', 'result-positive'], allowed: ['counsellor', 'nurse'] },
  { what: 'an HIV examination’s notes', needles: () => [HIV_NOTE], allowed: ['counsellor', 'nurse'] },
  { what: 'an anonymous HIV code', needles: () => [seeded.anonymousCode], allowed: ['counsellor', 'nurse'] },
];

let app: AppContext;
let dir: string;
const seeded = {
  tb: 0,
  psychiatric: 0,
  narcology: 0,
  hivConfidential: 0,
  hivAnonymous: 0,
  anonymousCode: '',
  certificates: [] as string[],
};

const as = async (login: string): Promise<Caller> => {
  const c = caller(app);
  await c.call('session.login', { login, password: TEST_PASSWORD });
  return c;
};

beforeAll(async () => {
  dir = tempDir();
  ({ app } = openApp({ dataDir: dir, log: silentLogger, clock: clock.read }));
  seedDemoData(app, { population: 20, passwords: Object.fromEntries(DEMO_ACCOUNTS.map((a) => [a.login, TEST_PASSWORD])) });
  saveOrganization(app.db, { ...getOrganization(app.db)!, region: 'atyrau', timezone: 'Asia/Atyrau' });
  adoptRegionActs(app);
  resetWorkflowCaches(app);
  for (const p of Object.values(PEOPLE)) {
    upsertPerson(
      app.db,
      {
        iin: p.iin,
        surname: p.surname,
        givenName: 'Айгүл',
        patronymic: null,
        birthDate: '1980-01-01',
        sex: 'F',
        address: null,
        phone: null,
        source: 'register',
      },
      clock.now,
    );
  }
  const admin = await as('admin');
  const operator = await as('operator');
  const registrar = await as('registrar');
  for (const register of ['tb', 'psychiatric', 'narcology'] as const)
    await admin.call('registers.import', {
      register,
      fileName: `${register}.csv`,
      text: `iin,from_date\n${PEOPLE[register].iin},2015-01-01\n`,
    });
  const refused = async (c: Caller, serviceId: string, iin: string) => {
    const r = await c.call('requests.start', { serviceId, channel: 'desk', iin });
    expect((await c.call('registers.check', { requestId: r.id })).found).toBe(true);
    return r.id;
  };
  seeded.tb = await refused(operator, 'tb-certificate', PEOPLE.tb.iin);
  seeded.psychiatric = await refused(registrar, 'psychoneurological-certificate', PEOPLE.psychiatric.iin);
  seeded.narcology = await refused(registrar, 'narcology-certificate', PEOPLE.narcology.iin);

  const counsellor = await as('counsellor');
  const nurse = await as('nurse');
  const hiv = async (args: { iin: string } | { anonymous: true }, result: 'positive' | 'negative') => {
    let r = await counsellor.call('requests.start', { serviceId: 'hiv-examination', channel: 'desk', ...args });
    await counsellor.call('requests.completeStep', { requestId: r.id, stepId: 'pre-test-counselling', note: HIV_NOTE });
    await nurse.call('hiv.label', { requestId: r.id });
    r = await nurse.call('requests.completeStep', { requestId: r.id, stepId: 'blood-draw' });
    const code = r.anonymousCode ?? r.number;
    await nurse.call('hiv.enterResult', { code, result });
    const released = await counsellor.call('hiv.release', { code });
    if (released.certificate) seeded.certificates.push(released.certificate);
    return { id: r.id, code };
  };
  seeded.hivConfidential = (await hiv({ iin: PEOPLE.hiv.iin }, 'positive')).id;
  const anon = await hiv({ anonymous: true }, 'negative');
  seeded.hivAnonymous = anon.id;
  seeded.anonymousCode = anon.code;
}, 60_000);

afterAll(() => {
  closeApp(app);
  fs.rmSync(dir, { recursive: true, force: true });
});

const requestIds = () => [seeded.tb, seeded.psychiatric, seeded.narcology, seeded.hivConfidential, seeded.hivAnonymous];
const perRequest = (extra: Record<string, unknown> = {}) => requestIds().map((requestId) => ({ requestId, ...extra }));
const range = { from: TODAY, to: TODAY };

/** Plausible arguments of each method: the seeded records' ids and codes; `[{}]` for the rest. */
const ARGS: Partial<Record<ApiMethod, () => unknown[]>> = {
  'requests.get': () => perRequest(),
  'requests.extras': () => perRequest(),
  'requests.queue': () => [{ limit: 500 }],
  'requests.completeStep': () => perRequest({ stepId: 'post-test-counselling' }),
  'requests.cancel': () => perRequest({ reason: 'entered-in-error' }),
  'requests.start': () => [{ serviceId: 'hiv-examination', channel: 'desk', anonymous: true }],
  'survey.record': () => perRequest({ q1: 'satisfied', q2: 'satisfied' }),
  'deadlines.dashboard': () => [range],
  'deadlines.report': () => [range],
  'survey.report': () => [range],
  'registers.check': () => perRequest(),
  'registers.lookup': () => perRequest(),
  'certificates.journal': () => [range],
  'certificates.pdf': () => seeded.certificates.map((number) => ({ number, language: 'ru' })),
  'certificates.sign': () => perRequest({ stepId: 'sign-issue', source: { kind: 'pkcs12', path: '/nonexistent.p12' }, secret: 'x' }),
  'hiv.label': () => perRequest(),
  'hiv.enterResult': () => [{ code: seeded.anonymousCode, result: 'positive' }],
  'hiv.release': () => [{ code: seeded.anonymousCode }],
  'cash.pay': () => perRequest({ method: 'cash' }),
  'cash.journal': () => [range],
  'journals.list': () => ['home-visits', 'appointments', 'attachments'].map((journal) => ({ journal, ...range })),
  'journals.export': () => [{ journal: 'appointments', ...range, format: 'csv' }],
  'people.search': () => [{ query: 'Омаров' }],
  'people.findByIin': () => [{ iin: makeIin('1988-05-05', 'M', 21) }],
  'erequests.inbox': () => [{}],
  'erequests.get': () => [{ id: 1 }],
  'appointments.slip': () => [{ id: 1 }],
  'attachments.get': () => [{ id: 1 }],
  'sync.resolveIssue': () => [{ id: 1 }],
  'cash.shiftReport': () => [{ shiftId: 1 }],
  // Harmless forms of the methods that change accounts or the session: nobody is disabled or logged out early.
  'staff.setDisabled': () => [{ id: 99_999, disabled: true }],
  'staff.resetPassword': () => [{ id: 99_999 }],
  'session.changePassword': () => [{ current: 'not-the-password', next: 'Another-pass-123' }],
  'session.login': () => [{ login: 'nobody', password: 'x' }],
  'sync.enroll': () => [{ serverUrl: 'https://127.0.0.1:1', code: 'AAAA-BBBB' }],
  'sync.previewEnrollment': () => [{ serverUrl: 'https://127.0.0.1:1', code: 'AAAA-BBBB' }],
  'regulations.import': () => [{ fileName: 'x.json', text: '{}' }],
  'registers.import': () => [{ register: 'tb', fileName: 'x.csv', text: 'not,a,register' }],
};

describe('need to know: no answer of any method carries what the caller’s role must not see', () => {
  it('every method × every demo account, against the policy table', async () => {
    const leaks: string[] = [];
    /** Which secrets each login did see: the allowed ones must show up somewhere, or the test proves nothing. */
    const seen = new Map<string, Set<string>>();
    for (const login of EVERY_LOGIN) {
      const c = await as(login);
      const forbidden = SECRETS.filter((s) => !s.allowed.includes(login));
      const mine = SECRETS.filter((s) => s.allowed.includes(login));
      // The lock and the logout last, so every other method is called logged in and unlocked.
      const last = ['session.lock', 'session.logout'] as const;
      const methods = [...API_METHODS.filter((m) => !(last as readonly string[]).includes(m)), ...last];
      let answered = 0;
      for (const method of methods) {
        for (const args of ARGS[method]?.() ?? [{}]) {
          // A failed login would end the caller's session: it is tried from a session of its own.
          const answer = JSON.stringify(await (method === 'session.login' ? caller(app) : c).raw(method, args));
          const typed = JSON.stringify(args);
          if (answer.startsWith('{"ok":true')) answered++;
          for (const s of forbidden)
            for (const needle of s.needles())
              if (!typed.includes(needle) && answer.includes(needle)) leaks.push(`${login} saw ${s.what} (${needle}) in ${method}`);
          for (const s of mine)
            if (s.needles().some((n) => answer.includes(n))) (seen.get(login) ?? seen.set(login, new Set()).get(login)!).add(s.what);
        }
      }
      // Logged in all along: a good part of the contract answers every role.
      expect(answered, login).toBeGreaterThan(10);
    }
    expect(leaks).toEqual([]);
    // The control: each secret reaches every login the policy gives it to (so the needles are the right ones).
    for (const s of SECRETS) for (const login of s.allowed) expect(seen.get(login)?.has(s.what), `${login} sees ${s.what}`).toBe(true);
  }, 120_000);
});
