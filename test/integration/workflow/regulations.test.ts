/**
 * Regulation import and the organization's calendar through the API on a real SQLite file: a valid successor takes
 * effect on its date (and survives a restart), an invalid or overlapping file is refused with the file and field
 * named and changes nothing, and the administrator's working hours and transfers move working-day deadlines.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { closeApp, openApp } from '../../../electron/services/app';
import { RESOURCES_DIR } from '../../../electron/services/paths';
import { caller, createTestWorkstation, TEST_PASSWORD, type Caller, type TestWorkstation } from '../../helpers/app';
import { refusal } from '../../helpers/api-errors';
import { silentLogger } from '../../../electron/services/log';

const IIN = makeIin('1975-01-20', 'F', 9);
let ws: TestWorkstation;
let now = Date.UTC(2026, 2, 2, 4, 0); // Monday 2 March 2026, 09:00 in Astana
afterEach(() => ws?.close());

const shipped = (rel: string) => JSON.parse(fs.readFileSync(path.join(RESOURCES_DIR, 'regulations', rel), 'utf8')) as Record<string, any>;

/** The Astana appointment service, re-issued by a (made-up) 2026 act in force from 1 April 2026 with 20-minute steps. */
function successor(effectiveFrom = '2026-04-01', service = 'appointment') {
  const d = shipped(`astana-2013/${service}.json`);
  d.act = { issuer: d.act.issuer, number: '77-2026', date: '2026-03-10' };
  d.effectiveFrom = effectiveFrom;
  d.effectiveTo = null;
  const last = d.steps.find((s: { id: string }) => s.id === 'desk-result');
  if (last && last.maxMinutes !== undefined) last.maxMinutes = 20;
  return d;
}

describe('regulation import', () => {
  it('a valid successor takes effect on its date, ends the interim standard for its service, and survives a restart', async () => {
    now = Date.UTC(2026, 2, 2, 4, 0);
    ws = createTestWorkstation({ population: 10, clock: () => new Date(now) });
    const admin = await ws.as('admin');
    let registrar = await ws.as('registrar');
    expect((await refusal(registrar, 'regulations.import', { fileName: 'a.json', text: '{}' })).code).toBe('forbidden');

    const before = await registrar.call('regulations.inForce', {});
    expect(before.region).toBe('astana');
    expect(before.today).toBe('2026-03-02');
    expect(before.services.map((s) => s.id).sort()).toEqual(['appointment', 'attachment', 'home-visit']);

    // A request started under the old version keeps it after the import.
    const old = await registrar.call('requests.start', { serviceId: 'appointment', channel: 'desk', iin: IIN });

    const res = await admin.call('regulations.import', {
      fileName: 'C:\\Users\\admin\\Downloads\\appointment-2026.json',
      text: JSON.stringify(successor()),
    });
    expect(res.imported).toMatchObject({
      key: 'astana/appointment@2026-04-01',
      file: 'imported/appointment-2026.json',
      imported: true,
      effectiveFrom: '2026-04-01',
    });
    // The shipped act ended with its repeal (2014-09-08): nothing to close; the demo clinic works by it as its
    // adopted interim standard, which stays open while its other two services have no successor.
    expect(res.closedPredecessor).toBeNull();
    expect(res.closedAdoptions).toEqual([]);

    const today = await registrar.call('regulations.inForce', {});
    const appt = today.services.find((s) => s.id === 'appointment')!;
    expect(appt).toMatchObject({ key: 'astana/appointment@2013-02-19', effectiveTo: '2014-09-08', closedBySuccessor: false });
    expect(appt.adoption).toMatchObject({ key: 'astana/106-1923', adoptedBy: { login: 'admin' }, closed: null });
    expect(today.upcoming.map((u) => u.key)).toEqual(['astana/appointment@2026-04-01']);

    // On its date the successor is what new requests run under; the old request keeps its version.
    now = Date.UTC(2026, 3, 1, 4, 0);
    // A month later is another working day: the registrar logs in again (a session lasts at most 12 hours).
    registrar = await ws.as('registrar');
    const fresh = await registrar.call('requests.start', { serviceId: 'appointment', channel: 'desk', iin: IIN });
    expect(fresh.definitionKey).toBe('astana/appointment@2026-04-01');
    expect((await registrar.call('requests.get', { requestId: old.id })).definitionKey).toBe('astana/appointment@2013-02-19');
    expect(fresh.steps[0]!.limit).toEqual({ maxMinutes: 0.25 });
    // The other services still run by the adopted act.
    const hv = await registrar.call('requests.start', { serviceId: 'home-visit', channel: 'desk', iin: IIN });
    expect(hv.definitionKey).toBe('astana/home-visit@2013-02-19');

    // Successors of the other two services close the adoption from the day the last one takes effect.
    const admin2 = await ws.as('admin');
    await admin2.call('regulations.import', { fileName: 'hv.json', text: JSON.stringify(successor('2026-05-01', 'home-visit')) });
    const last = await admin2.call('regulations.import', {
      fileName: 'att.json',
      text: JSON.stringify(successor('2026-06-01', 'attachment')),
    });
    expect(last.closedAdoptions).toEqual(['astana/106-1923']);
    const standing = await admin2.call('regulations.standing', {});
    expect(standing.adoptions[0]!.closed).toMatchObject({ on: '2026-06-01', successorKey: 'astana/attachment@2026-06-01' });
    expect(standing.active).toHaveLength(1); // still applies (attachment) until 2026-06-01
    now = Date.UTC(2026, 4, 4, 4, 0);
    registrar = await ws.as('registrar');
    expect((await registrar.call('requests.start', { serviceId: 'attachment', channel: 'desk', iin: IIN })).definitionKey).toBe(
      'astana/attachment@2013-02-19',
    );
    now = Date.UTC(2026, 3, 1, 4, 0);

    // Stored in the database: a restarted workstation loads it again.
    const dir = ws.dir;
    closeApp(ws.app);
    const { app } = openApp({ dataDir: dir, log: silentLogger, clock: () => new Date(now) });
    ws.app = app;
    const c = caller(app);
    await c.call('session.login', { login: 'registrar', password: TEST_PASSWORD });
    expect((await c.call('regulations.inForce', {})).services.find((s) => s.id === 'appointment')!.key).toBe(
      'astana/appointment@2026-04-01',
    );
    const audit = app.db.prepare(`SELECT action, entity_id FROM audit_log WHERE action = 'regulation.imported'`).all();
    expect(audit).toContainEqual({ action: 'regulation.imported', entity_id: 'astana/appointment@2026-04-01' });
    expect(app.db.prepare(`SELECT count(*) AS n FROM outbox WHERE kind = 'regulation.import'`).get()).toEqual({ n: 3 });
  });

  it('an invalid file is refused with the file and the field named, and nothing is stored', async () => {
    ws = createTestWorkstation({ population: 10, clock: () => new Date(now) });
    const admin = await ws.as('admin');
    const bad = successor();
    bad.steps[0].role = 'doctor';
    let e = await refusal(admin, 'regulations.import', { fileName: 'bad.json', text: JSON.stringify(bad) });
    expect(e.code).toBe('regulation-invalid');
    expect(String(e.params?.issues)).toContain('imported/bad.json: steps[0].role: unknown role "doctor"');
    // The same as codes for the screen, which says them in the user's language.
    expect(JSON.parse(String(e.params?.list))).toContainEqual(
      expect.objectContaining({ file: 'imported/bad.json', path: 'steps[0].role', code: 'not-allowed' }),
    );

    const noDuration = successor();
    delete noDuration.steps[1].maxMinutes;
    e = await refusal(admin, 'regulations.import', { fileName: 'no-duration.json', text: JSON.stringify(noDuration) });
    expect(String(e.params?.issues)).toContain('imported/no-duration.json: steps[1]: missing duration');

    e = await refusal(admin, 'regulations.import', { fileName: 'broken.json', text: '{"id": "x",' });
    expect(e.code).toBe('regulation-invalid');
    expect(String(e.params?.issues)).toMatch(/^imported\/broken\.json: \(root\): not valid JSON/);

    const cycle = successor();
    const last = cycle.steps.find((s: { id: string }) => s.id === 'desk-result');
    last.next = [{ to: 'desk-register' }];
    e = await refusal(admin, 'regulations.import', { fileName: 'cycle.json', text: JSON.stringify(cycle) });
    expect(String(e.params?.issues)).toMatch(
      /imported\/cycle\.json: steps\[\d+\]\.next: step "desk-\w+(-\w+)*" is in a cycle with no path to the end/,
    );

    expect(ws.app.db.prepare('SELECT count(*) AS n FROM regulation_file').get()).toEqual({ n: 0 });
    expect((await admin.call('regulations.inForce', {})).upcoming).toEqual([]);
  });

  it('overlapping periods are refused: the same start as a version in force, or an explicit period across another', async () => {
    ws = createTestWorkstation({ population: 10, clock: () => new Date(now) });
    const admin = await ws.as('admin');
    // The same start date as the shipped version.
    let e = await refusal(admin, 'regulations.import', { fileName: 'same.json', text: JSON.stringify(successor('2013-02-19')) });
    expect(e.code).toBe('regulation-invalid');
    expect(String(e.params?.issues)).toMatch(/effectiveFrom: astana\/appointment in force from 2013-02-19 overlaps/);

    // One successor imported; then an earlier file whose explicit period runs into it.
    await admin.call('regulations.import', { fileName: 'next.json', text: JSON.stringify(successor('2026-04-01')) });
    const across = successor('2026-01-01');
    across.effectiveTo = '2026-06-30';
    e = await refusal(admin, 'regulations.import', { fileName: 'across.json', text: JSON.stringify(across) });
    expect(String(e.params?.issues)).toMatch(
      /imported\/next\.json: effectiveFrom: astana\/appointment in force from 2026-04-01 overlaps imported\/across\.json/,
    );
    // The same file name twice is refused too (imports are never replaced: import a successor).
    e = await refusal(admin, 'regulations.import', { fileName: 'next.json', text: JSON.stringify(successor('2027-01-01')) });
    expect(String(e.params?.issues)).toContain('the same file is listed twice');
    expect(ws.app.db.prepare('SELECT count(*) AS n FROM regulation_file').get()).toEqual({ n: 1 });
  });
});

describe("the organization's calendar", () => {
  it('the administrator sets hours and transfers; working-day deadlines follow them in the organization zone', async () => {
    now = Date.UTC(2026, 2, 2, 4, 0); // Monday 09:00 Astana
    ws = createTestWorkstation({ population: 10, clock: () => new Date(now) });
    const admin = await ws.as('admin');
    const registrar = await ws.as('registrar');
    const cal = await registrar.call('calendar.get', {});
    expect(cal.timeZone).toBe('Asia/Almaty');
    expect(cal.settings.hours.weekdays).toEqual({ open: '08:00', close: '20:00' });
    expect(cal.daysOff).toContain('2026-03-07'); // a Saturday
    expect(cal.daysOff).toContain('2026-03-09'); // 8 March falls on a Sunday: Monday off

    const walkToResult = async () => {
      let r = await registrar.call('requests.start', { serviceId: 'attachment', channel: 'desk', iin: IIN });
      for (const step of ['desk-auth', 'desk-choose-service', 'desk-population-query', 'desk-form-sign', 'desk-register']) {
        r = await registrar.call('requests.completeStep', { requestId: r.id, stepId: step });
      }
      expect(r.currentStep?.stepId).toBe('desk-result');
      return r;
    };
    // 1 working day from Monday: close of Tuesday, 20:00 local = 15:00 UTC.
    expect((await walkToResult()).currentStep?.deadlineAt).toBe('2026-03-03T15:00:00.000Z');

    expect((await refusal(registrar, 'calendar.set', { hours: cal.settings.hours, extraTransfers: [] })).code).toBe('forbidden');
    const bad = await refusal(admin, 'calendar.set', {
      hours: { weekdays: { open: '18:00', close: '09:00' }, saturday: null, sunday: null },
      extraTransfers: [],
    });
    expect(bad.code).toBe('validation');
    expect(bad.fields).toEqual(['hours.weekdays']);

    const set = await admin.call('calendar.set', {
      hours: { weekdays: { open: '08:00', close: '18:00' }, saturday: null, sunday: null },
      extraTransfers: [{ date: '2026-03-03', kind: 'day-off', comment: 'санитарлық күн' }],
    });
    expect(set.daysOff).toContain('2026-03-03');
    // Tuesday is now a day off and the day closes at 18:00: due on Wednesday at 18:00 local = 13:00 UTC.
    expect((await walkToResult()).currentStep?.deadlineAt).toBe('2026-03-04T13:00:00.000Z');
    expect(ws.app.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'calendar.changed'`).get()).toEqual({ n: 1 });
  });
});
