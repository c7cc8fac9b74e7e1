/**
 * Service requests through the real API (dispatcher, role checks, handlers) on a real SQLite file: walking services
 * by the roles they name, refusals of wrong roles / repeats / out-of-order completions, cancellation, the audit and
 * outbox rows, anonymous examinations, the survey and the dashboard.
 */
import { orgToday } from '../../../electron/services/workflow/app-engine';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { listAudit, verifyAudit } from '../../../db/audit';
import { getOrganization, saveOrganization } from '../../../db/organization';
import { listOutbox } from '../../../db/outbox';
import { upsertPerson } from '../../../db/people';
import { setSetting } from '../../../db/settings';
import { resetWorkflowCaches } from '../../../electron/services/workflow/context';
import { adoptRegionActs, createTestWorkstation, type Caller, type TestWorkstation } from '../../helpers/app';
import { refusal } from '../../helpers/api-errors';
import { setUpPhysicianToken, TOKEN_LABEL, TOKEN_PIN, type DeskPki } from '../../helpers/signing-desk';
import { workingDayClock } from '../../helpers/clock';
import { startTestServer } from '../../helpers/sync-server';

const IIN = makeIin('1988-05-05', 'M', 21);
let ws: TestWorkstation;
/** Monday 2 March 2026, 09:00 in Astana (UTC+5). */
let now = Date.UTC(2026, 2, 2, 4, 0);
const advance = (minutes: number) => (now += minutes * 60_000);
/**
 * The signing steps go through certificates.sign with a SoftHSM2 token whose test certificate is issued on the
 * workstation's clock: those tests run at 09:00 in Atyrau on the next working day after today.
 */
const nextWorkingMorning = (): number => workingDayClock('09:00', 'Asia/Atyrau').now.getTime();
let pki: DeskPki | null = null;
/**
 * The phthisiatrician's token (the SoftHSM2 helper, given the phthisiatrician's login). The PKCS#11 module stays
 * loaded in the process, so one token serves the whole file; each new workstation gets its settings.
 */
function phthisiatricianToken(): { kind: 'pkcs11'; module: string; token: string } {
  if (!pki) pki = setUpPhysicianToken(ws.app, 'phthisiatrician');
  else {
    ws.app.db.prepare('UPDATE staff SET iin = ? WHERE login = ?').run(pki.pki.physicianIin, 'phthisiatrician');
    setSetting(ws.app.db, 'signing.pkcs11Modules', [pki.hsm.module]);
  }
  return { kind: 'pkcs11', module: pki.hsm.module, token: TOKEN_LABEL };
}

function open(region: 'astana' | 'atyrau' = 'astana', start = Date.UTC(2026, 2, 2, 4, 0)): TestWorkstation {
  now = start;
  ws = createTestWorkstation({ population: 20, clock: () => new Date(now) });
  if (region === 'atyrau') {
    saveOrganization(ws.app.db, { ...getOrganization(ws.app.db)!, region: 'atyrau', timezone: 'Asia/Atyrau' });
    adoptRegionActs(ws.app);
    resetWorkflowCaches(ws.app);
  }
  upsertPerson(
    ws.app.db,
    {
      iin: IIN,
      surname: 'Омаров',
      givenName: 'Нұрлан',
      patronymic: null,
      birthDate: '1988-05-05',
      sex: 'M',
      address: null,
      phone: null,
      source: 'register',
    },
    new Date(now),
  );
  return ws;
}
afterEach(() => ws?.close());
afterAll(() => pki?.cleanup());

describe('walking a service through its steps', () => {
  it('the Atyrau TB certificate: operator, operator, cashier, phthisiatrician — each step by its own role', async () => {
    open('atyrau', nextWorkingMorning());
    const token = phthisiatricianToken();
    const operator = await ws.as('operator');
    const cashier = await ws.as('cashier');
    const phthisiatrician = await ws.as('phthisiatrician');
    const therapist = await ws.as('therapist');
    const shift = await cashier.call('cash.openShift', {});

    let r = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: IIN });
    expect(r.number).toBe('A4-000001');
    expect(r.person).toEqual({ iin: IIN, name: 'Омаров Нұрлан' });
    expect(r.currentStep?.stepId).toBe('register-check');
    expect(r.currentStep?.canComplete).toBe(true);
    // Deadlines: 15 minutes for the step, 60 for the whole request, in real time.
    expect(Date.parse(r.currentStep!.deadlineAt) - now).toBe(15 * 60_000);
    expect(Date.parse(r.deadlineAt) - now).toBe(60 * 60_000);

    // The cashier's queue is empty until the request reaches the cashier.
    expect((await cashier.call('requests.queue', {})).rows).toEqual([]);
    expect((await operator.call('requests.queue', {})).rows.map((q) => q.number)).toEqual(['A4-000001']);

    // Wrong role on the current step: the check step is done only through registers.check, which the cash desk
    // cannot reach; a plain completion is refused by anyone.
    expect((await refusal(cashier, 'registers.check', { requestId: r.id })).code).toBe('forbidden');
    expect((await refusal(cashier, 'requests.completeStep', { requestId: r.id, stepId: 'register-check' })).code).toBe(
      'register-check-required',
    );
    expect((await refusal(operator, 'requests.completeStep', { requestId: r.id, stepId: 'register-check' })).code).toBe(
      'register-check-required',
    );
    // Out of order: the cashier's own step is not current yet.
    const early = await refusal(cashier, 'requests.completeStep', { requestId: r.id, stepId: 'payment' });
    expect(early.code).toBe('step-not-current');
    expect(early.params).toMatchObject({ current: 'register-check' });

    advance(5);
    expect(await operator.call('registers.check', { requestId: r.id, note: 'Тіркелімде жоқ' })).toMatchObject({
      found: false,
      checkedBy: 'operator',
    });
    r = await operator.call('requests.get', { requestId: r.id });
    expect(r.currentStep?.stepId).toBe('journal-entry');
    // Twice: the same step again.
    expect((await refusal(operator, 'requests.completeStep', { requestId: r.id, stepId: 'register-check' })).code).toBe(
      'step-already-completed',
    );
    expect((await refusal(operator, 'registers.check', { requestId: r.id })).code).toBe('step-not-current');

    advance(3);
    r = await operator.call('requests.completeStep', { requestId: r.id, stepId: 'journal-entry' });
    expect(r.currentStep?.stepId).toBe('payment');
    expect(r.currentStep?.canComplete).toBe(false);
    const q = (await cashier.call('requests.queue', {})).rows;
    expect(q.map((x) => [x.number, x.stepId, x.deadlineStatus])).toEqual([['A4-000001', 'payment', 'on-time']]);
    expect(q[0]!.personName).toBe('Омаров Нұрлан');

    advance(20); // the cashier takes 20 minutes of a 15-minute step: late
    expect((await refusal(cashier, 'requests.completeStep', { requestId: r.id, stepId: 'payment' })).code).toBe('payment-required');
    expect(await cashier.call('cash.pay', { requestId: r.id, method: 'cash' })).toMatchObject({
      kind: 'payment',
      amountKzt: r.feeKzt,
      shiftNumber: shift.number,
    });
    r = await cashier.call('requests.get', { requestId: r.id });
    expect(r.currentStep?.stepId).toBe('sign-issue');
    // A physician of another specialty may not sign a TB certificate.
    const wrongSpecialty = await refusal(therapist, 'certificates.sign', {
      requestId: r.id,
      stepId: 'sign-issue',
      source: token,
      keyId: '01',
      secret: TOKEN_PIN,
    });
    expect(wrongSpecialty.code).toBe('wrong-role');
    expect(wrongSpecialty.params).toEqual({ required: 'physician/phthisiatrician', role: 'physician/therapist' });
    expect((await therapist.call('requests.queue', {})).rows).toEqual([]);
    expect((await refusal(phthisiatrician, 'requests.completeStep', { requestId: r.id, stepId: 'sign-issue' })).code).toBe(
      'signature-required',
    );

    advance(10);
    const cert = await phthisiatrician.call('certificates.sign', {
      requestId: r.id,
      stepId: 'sign-issue',
      source: token,
      keyId: '01',
      secret: TOKEN_PIN,
    });
    expect(cert.issuedAt).not.toBeNull();
    r = await phthisiatrician.call('requests.get', { requestId: r.id });
    expect(r.status).toBe('done');
    expect(r.currentStep).toBeNull();
    expect(r.deadlineStatus).toBe('on-time'); // 38 minutes of 60
    expect(r.steps.map((s) => [s.stepId, s.completedBy?.login, s.completedBy?.role, s.outcome, s.deadlineStatus])).toEqual([
      ['register-check', 'operator', 'operator', 'done', 'on-time'],
      ['journal-entry', 'operator', 'operator', 'done', 'on-time'],
      ['payment', 'cashier', 'cashier', 'done', 'overdue'],
      ['sign-issue', 'phthisiatrician', 'physician/phthisiatrician', 'done', 'on-time'],
    ]);
    expect(r.steps[0]!.note).toMatch(/^register-check #\d+: not-on-register · Тіркелімде жоқ$/);
    expect(r.steps[2]!.durationMs).toBe(20 * 60_000);

    // Closed: nothing more.
    expect((await refusal(phthisiatrician, 'requests.completeStep', { requestId: r.id, stepId: 'sign-issue' })).code).toBe(
      'request-closed',
    );
    expect(
      (
        await refusal(phthisiatrician, 'certificates.sign', {
          requestId: r.id,
          stepId: 'sign-issue',
          source: token,
          keyId: '01',
          secret: TOKEN_PIN,
        })
      ).code,
    ).toBe('request-closed');
    expect((await refusal(operator, 'requests.cancel', { requestId: r.id, reason: 'too late' })).code).toBe('request-closed');

    // The audit chain and the outbox hold every change, in order.
    const audit = listAudit(ws.app.db, { entity: 'service_request' }).reverse();
    expect(audit.map((a) => [a.action, a.login])).toEqual([
      ['request.started', 'operator'],
      ['register.checked', 'operator'],
      ['request.step-completed', 'operator'],
      ['request.step-completed', 'operator'],
      ['request.step-completed', 'cashier'],
      ['request.completed', 'phthisiatrician'],
    ]);
    expect(verifyAudit(ws.app.db).ok).toBe(true);
    const ops = listOutbox(ws.app.db).filter((o) => o.entity === 'service_request');
    expect(ops.map((o) => o.kind)).toEqual(['request.start', 'request.step', 'request.step', 'request.step', 'request.step']);
    expect(ops[4]!.payload).toMatchObject({ number: 'A4-000001', step: 'sign-issue', status: 'done', role: 'physician/phthisiatrician' });
    // Refused attempts wrote nothing.
    expect(listAudit(ws.app.db, { entity: 'service_request' }).length).toBe(6);
  });

  it('a fee of 0 in the price list skips the cashier step; a desk cannot name the fee', async () => {
    open('atyrau');
    const operator = await ws.as('operator');
    const admin = await ws.as('admin');
    const refused = await operator.raw('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: IIN, feeKzt: 0 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation' } });
    await admin.call('prices.set', { serviceId: 'tb-certificate', feeKzt: 0, effectiveFrom: orgToday(ws.app) });
    let r = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: IIN });
    await operator.call('registers.check', { requestId: r.id });
    r = await operator.call('requests.completeStep', { requestId: r.id, stepId: 'journal-entry' });
    expect(r.currentStep?.stepId).toBe('sign-issue');
  });

  it('the Astana home-visit call at the desk: a condition leads to a motivated refusal recorded with its reason', async () => {
    open();
    const registrar = await ws.as('registrar');
    let r = await registrar.call('requests.start', { serviceId: 'home-visit', channel: 'desk', iin: IIN });
    expect(r.definitionKey).toBe('astana/home-visit@2013-02-19');
    r = await registrar.call('requests.completeStep', { requestId: r.id, stepId: 'desk-auth' });
    r = await registrar.call('requests.completeStep', { requestId: r.id, stepId: 'desk-choose-service' });
    expect(r.currentStep?.choices.map((c) => [c.condition, c.leadsTo])).toEqual([
      ['person-not-found', 'step'],
      [null, 'step'],
    ]);
    // A condition that does not belong to this step is refused.
    expect(
      (
        await refusal(registrar, 'requests.completeStep', {
          requestId: r.id,
          stepId: 'desk-population-query',
          condition: 'grounds-not-met',
        })
      ).code,
    ).toBe('validation');
    r = await registrar.call('requests.completeStep', { requestId: r.id, stepId: 'desk-population-query', condition: 'person-not-found' });
    expect(r.currentStep?.stepId).toBe('desk-person-not-found');
    expect(r.currentStep?.choices[0]?.leadsTo).toBe('refusal');
    r = await registrar.call('requests.completeStep', { requestId: r.id, stepId: 'desk-person-not-found' });
    expect(r.status).toBe('refused');
    const last = r.steps[r.steps.length - 1]!;
    expect(last.outcome).toBe('refused');
    expect(last.refusal?.reason.kk).toMatch(/ЖТ МДБ/);
    expect(r.steps[2]!.condition).toBe('person-not-found');
    expect(r.steps[2]!.conditionTitle?.kk).toBeTruthy();
    expect(listAudit(ws.app.db, { entity: 'service_request', limit: 1 })[0]!.action).toBe('request.refused');
  });

  it('the whole desk path of every Astana service, by the registrar alone', async () => {
    open();
    const registrar = await ws.as('registrar');
    for (const serviceId of ['home-visit', 'appointment', 'attachment']) {
      let r = await registrar.call('requests.start', { serviceId, channel: 'desk', iin: IIN });
      const seen: string[] = [];
      while (r.currentStep && r.currentStep.stepId !== 'desk-result') {
        seen.push(r.currentStep.stepId);
        r = await registrar.call('requests.completeStep', { requestId: r.id, stepId: r.currentStep.stepId });
      }
      expect(seen).toEqual(['desk-auth', 'desk-choose-service', 'desk-population-query', 'desk-form-sign', 'desk-register']);
      // The result is the journal entry (and the talon): the generic queue cannot end the request without it.
      const e = await refusal(registrar, 'requests.completeStep', { requestId: r.id, stepId: 'desk-result' });
      expect(e.code).toBe('journal-entry-required');
      expect(e.params).toMatchObject({ journal: JOURNAL_OF[serviceId], number: r.number });
      expect((await registrar.call('requests.get', { requestId: r.id })).status).toBe('open');
    }
  });
});

const JOURNAL_OF: Record<string, string> = { 'home-visit': 'home-visit-calls', appointment: 'pre-registration', attachment: 'attachment' };

describe('cancellation', () => {
  it('is a recorded step with a reason, by a role that may act on the current step or the administrator', async () => {
    open('atyrau');
    const operator = await ws.as('operator');
    const cashier = await ws.as('cashier');
    const admin = await ws.as('admin');
    const a = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: IIN });
    expect((await refusal(cashier, 'requests.cancel', { requestId: a.id, reason: 'left the queue' })).code).toBe('wrong-role');
    expect((await refusal(operator, 'requests.cancel', { requestId: a.id, reason: '' })).code).toBe('validation');
    advance(2);
    const c = await operator.call('requests.cancel', { requestId: a.id, reason: 'Қызмет алушы кетіп қалды' });
    expect(c.status).toBe('cancelled');
    expect(c.steps).toHaveLength(1);
    expect(c.steps[0]).toMatchObject({
      stepId: 'register-check',
      outcome: 'cancelled',
      note: 'Қызмет алушы кетіп қалды',
      completedBy: { login: 'operator' },
    });
    expect((await operator.call('requests.queue', {})).rows).toEqual([]);

    const b = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: IIN });
    expect(b.number).toBe('A4-000002');
    const d = await admin.call('requests.cancel', { requestId: b.id, reason: 'registered twice' });
    expect(d.status).toBe('cancelled');
    expect(
      listOutbox(ws.app.db)
        .filter((o) => o.kind === 'request.cancel')
        .map((o) => (o.payload as { reason: string }).reason),
    ).toEqual(['Қызмет алушы кетіп қалды', 'registered twice']);
    expect(listAudit(ws.app.db, { entity: 'service_request', limit: 1 })[0]).toMatchObject({ action: 'request.cancelled', login: 'admin' });
    // The administrator supervises but does not act on steps.
    expect((await refusal(admin, 'requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: IIN })).code).toBe('forbidden');
  });

  it('the history cannot be rewritten: requests are never deleted, completed steps never change', async () => {
    open('atyrau');
    const operator = await ws.as('operator');
    const r = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: IIN });
    await operator.call('registers.check', { requestId: r.id });
    expect(() => ws.app.db.prepare('DELETE FROM service_request WHERE id = ?').run(r.id)).toThrow(/never deleted/);
    expect(() => ws.app.db.prepare('DELETE FROM request_step WHERE request_id = ?').run(r.id)).toThrow(/never deleted/);
    expect(() =>
      ws.app.db.prepare(`UPDATE request_step SET completed_login = 'someone' WHERE request_id = ? AND seq = 1`).run(r.id),
    ).toThrow(/cannot change/);
  });
});

describe('anonymous HIV examination', () => {
  it('free text of an anonymous request refuses an IIN or a name; cancellation by reason code; nothing identifying reaches the server', async () => {
    open('atyrau');
    const server = await startTestServer('pglite');
    try {
      const admin = await ws.as('admin');
      await admin.call('sync.enroll', { serverUrl: server.url, code: await server.code(getOrganization(ws.app.db)!.bin) });
      saveOrganization(ws.app.db, { ...getOrganization(ws.app.db)!, region: 'atyrau', timezone: 'Asia/Atyrau' });
      adoptRegionActs(ws.app);
      resetWorkflowCaches(ws.app);
      const counsellor = await ws.as('counsellor');
      const r = await counsellor.call('requests.start', { serviceId: 'hiv-examination', channel: 'desk', anonymous: true });
      const spaced = IIN.replace(/(\d{4})(\d{4})(\d{4})/, '$1 $2 $3');
      for (const note of [`ИИН ${IIN}`, `звонил ${spaced}`, 'пришёл Омаров Нұрлан', 'нұрлан омаров, повторно']) {
        const e = await refusal(counsellor, 'requests.completeStep', { requestId: r.id, stepId: 'pre-test-counselling', note });
        expect(e, note).toMatchObject({ code: 'validation', fields: ['note'] });
        expect(e.message).toMatch(/^note: /);
      }
      // A note without an identity is kept; a surname alone, or a name of no one on the register, is not a person.
      const noted = await counsellor.call('requests.completeStep', {
        requestId: r.id,
        stepId: 'pre-test-counselling',
        note: 'Омаров не родственник; консультация 45 минут, 2 брошюры',
      });
      expect(noted.steps[0]!.note).toContain('консультация');
      const nurse = await ws.as('nurse');
      const free = await refusal(nurse, 'requests.cancel', { requestId: r.id, reason: 'ушла, Омаров Нұрлан' });
      expect(free).toMatchObject({ code: 'validation', fields: ['reason'] });
      expect(free.message).toContain('person-left');
      expect((await refusal(nurse, 'requests.cancel', { requestId: r.id, reason: 'ушла домой' })).fields).toEqual(['reason']);
      const cancelled = await nurse.call('requests.cancel', { requestId: r.id, reason: 'person-left' });
      expect(cancelled.status).toBe('cancelled');
      // A request that is not anonymous keeps its free-text reason.
      const operator = await ws.as('operator');
      const named = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: IIN });
      expect((await operator.call('requests.cancel', { requestId: named.id, reason: 'ушёл, придёт завтра' })).status).toBe('cancelled');

      expect(await admin.call('sync.now', {})).toMatchObject({ ok: true });
      const ops = await server.db.query(`SELECT * FROM sync_op`);
      const changes = await server.db.query(`SELECT * FROM change_log`);
      const onServer = JSON.stringify([ops.rows, changes.rows]);
      expect(onServer).toContain(r.number); // the anonymous request's operations did reach the server
      expect(onServer).toContain('person-left');
      const anonymousOps = JSON.stringify(ops.rows.filter((o) => JSON.stringify(o).includes(r.number)));
      for (const needle of [IIN, spaced, 'Омаров', 'Нұрлан', 'консультация']) expect(anonymousOps, needle).not.toContain(needle);
      const local = JSON.stringify([
        listAudit(ws.app.db, { entityId: r.number }),
        listOutbox(ws.app.db).filter((o) => o.entityId === r.number),
      ]);
      expect(local).toContain('person-left');
      for (const needle of [IIN, 'Омаров', 'консультация']) expect(local, needle).not.toContain(needle);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('holds no IIN and no name, only a random code; nothing in the audit or outbox identifies the person', async () => {
    open('atyrau');
    const counsellor = await ws.as('counsellor');
    const nurse = await ws.as('nurse');
    let r = await counsellor.call('requests.start', { serviceId: 'hiv-examination', channel: 'desk', anonymous: true });
    expect(r.person).toBeNull();
    expect(r.anonymousCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const row = ws.app.db.prepare('SELECT person_iin, anonymous_code FROM service_request WHERE id = ?').get(r.id) as {
      person_iin: string | null;
    };
    expect(row.person_iin).toBeNull();
    r = await counsellor.call('requests.completeStep', { requestId: r.id, stepId: 'pre-test-counselling' });
    expect((await nurse.call('requests.queue', {})).rows[0]).toMatchObject({
      anonymousCode: r.anonymousCode,
      personIin: null,
      personName: null,
    });
    r = await nurse.call('requests.completeStep', { requestId: r.id, stepId: 'blood-draw' });
    // A working-day step: 3 working days, due at the close of the third working day after today (Mon → Thu 20:00 Atyrau).
    expect(r.currentStep?.deadlineAt).toBe('2026-03-05T15:00:00.000Z');
    // The post-test counselling is completed by the release of the laboratory result against the code.
    expect(
      (
        await refusal(counsellor, 'requests.completeStep', {
          requestId: r.id,
          stepId: 'post-test-counselling',
          condition: 'result-positive',
        })
      ).code,
    ).toBe('result-missing');
    await nurse.call('hiv.enterResult', { code: r.anonymousCode!, result: 'positive' });
    expect(await counsellor.call('hiv.release', { code: r.anonymousCode! })).toMatchObject({ result: 'positive', certificate: null });
    r = await counsellor.call('requests.get', { requestId: r.id });
    expect(r.status).toBe('done');
    expect(r.outcome?.code).toBe('positive-follow-up');
    const everything = JSON.stringify([listAudit(ws.app.db, { entity: 'service_request' }), listOutbox(ws.app.db)]);
    expect(everything).not.toContain(IIN);

    // An IIN with "anonymous" is refused; a service that is not anonymous needs the IIN.
    expect(
      (await refusal(counsellor, 'requests.start', { serviceId: 'hiv-examination', channel: 'desk', anonymous: true, iin: IIN })).code,
    ).toBe('validation');
    const operator = await ws.as('operator');
    expect((await refusal(operator, 'requests.start', { serviceId: 'tb-certificate', channel: 'desk', anonymous: true })).code).toBe(
      'validation',
    );
    expect((await refusal(operator, 'requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: '123456789012' })).code).toBe(
      'invalid-iin',
    );
    expect((await refusal(operator, 'requests.start', { serviceId: 'home-visit', channel: 'portal', iin: IIN })).code).toBe('wrong-role');
    expect((await refusal(operator, 'requests.start', { serviceId: 'no-such-service', channel: 'desk', iin: IIN })).code).toBe(
      'service-not-in-force',
    );
  });
});

describe('survey and dashboard', () => {
  it('the survey is taken once after completion; the dashboard and the CSV report count on time and overdue per service and step', async () => {
    const start = nextWorkingMorning();
    open('atyrau', start);
    // The month of the run, and the one after it, as the dashboard's date range.
    const day = (ms: number) => new Date(ms).toLocaleDateString('sv-SE', { timeZone: 'Asia/Atyrau' });
    const d0 = new Date(start);
    const month = {
      from: day(Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth(), 1, 12)),
      to: day(Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth() + 1, 0, 12)),
    };
    const nextMonth = {
      from: day(Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth() + 1, 1, 12)),
      to: day(Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth() + 2, 0, 12)),
    };
    const token = phthisiatricianToken();
    const operator = await ws.as('operator');
    const cashier = await ws.as('cashier');
    const phth = await ws.as('phthisiatrician');
    const admin = await ws.as('admin');
    await cashier.call('cash.openShift', {});
    const walk = async (paymentMinutes: number) => {
      let r = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: IIN });
      await operator.call('registers.check', { requestId: r.id });
      r = await operator.call('requests.completeStep', { requestId: r.id, stepId: 'journal-entry' });
      advance(paymentMinutes);
      await cashier.call('cash.pay', { requestId: r.id, method: 'card' });
      return cashier.call('requests.get', { requestId: r.id });
    };
    const sign = (requestId: number) =>
      phth.call('certificates.sign', { requestId, stepId: 'sign-issue', source: token, keyId: '01', secret: TOKEN_PIN });
    const a = await walk(5);
    expect(a.currentStep?.stepId).toBe('sign-issue');
    expect((await refusal(operator, 'survey.record', { requestId: a.id, q1: 'satisfied', q2: 'satisfied' })).code).toBe('validation');
    await sign(a.id);
    await operator.call('survey.record', { requestId: a.id, q1: 'satisfied', q2: 'partly-satisfied' });
    expect((await refusal(operator, 'survey.record', { requestId: a.id, q1: 'satisfied', q2: 'satisfied' })).code).toBe('conflict');
    expect((await operator.call('requests.get', { requestId: a.id })).survey).toMatchObject({ q1: 'satisfied', q2: 'partly-satisfied' });

    const b = await walk(70); // payment step late, and the whole request too
    await sign(b.id);
    await walk(1); // still open at the physician
    advance(60); // … and now past the whole-request hour

    const d = await admin.call('deadlines.dashboard', month);
    const tb = d.services.find((s) => s.serviceId === 'tb-certificate')!;
    expect(tb).toMatchObject({ total: 3, onTime: 1, overdue: 2, pending: 0, cancelled: 0 });
    expect(tb.steps.map((s) => s.stepId)).toEqual(['register-check', 'journal-entry', 'payment', 'sign-issue']);
    const payment = tb.steps.find((s) => s.stepId === 'payment')!;
    expect(payment).toMatchObject({ total: 3, onTime: 2, overdue: 1 });
    expect(payment.medianMs! / 60_000).toBeCloseTo(5, 0);
    expect(payment.p90Ms! / 60_000).toBeGreaterThan(69);
    expect(payment.p90Ms! / 60_000).toBeLessThan(71);
    expect(tb.steps.find((s) => s.stepId === 'sign-issue')).toMatchObject({ total: 3, onTime: 2, overdue: 1 });
    // Another month is empty.
    expect((await admin.call('deadlines.dashboard', nextMonth)).services).toEqual([]);
    expect((await refusal(admin, 'deadlines.dashboard', { from: '2026-04-02', to: '2026-04-01' })).code).toBe('validation');
    expect((await refusal(operator, 'deadlines.dashboard', month)).code).toBe('forbidden');

    const csv = await admin.call('deadlines.report', month);
    const lines = csv.csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^Қызмет;Қадам;Орындаушы;/);
    expect(lines).toHaveLength(1 + 1 + 4);
    expect(lines[1]).toMatch(/^Туберкулез диспансерінен анықтама беру;\(өтінім толығымен\);;60 мин;3;1;2;0;0;33\.3;/);
    // The performer by position, never a role key; no Latin letter anywhere in the Kazakh file.
    expect(lines.slice(2).map((l) => l.split(';')[2])).toEqual(expect.arrayContaining(['кассир', 'фтизиатр-дәрігер']));
    expect(csv.csv).not.toMatch(/[A-Za-z]/);

    const survey = await admin.call('survey.report', month);
    expect(survey.services).toEqual([
      expect.objectContaining({
        serviceId: 'tb-certificate',
        total: 1,
        q1: { 'not-satisfied': 0, 'partly-satisfied': 0, satisfied: 1 },
        q2: { 'not-satisfied': 0, 'partly-satisfied': 1, satisfied: 0 },
      }),
    ]);
  });
});
