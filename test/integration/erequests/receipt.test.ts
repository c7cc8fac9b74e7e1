/**
 * Issue 15, points 1 and 2 for portal requests: the central server's gateway's receipt time drives the deadline, the
 * day of the visit and the cut-off, whenever the workstation processes the request; the cut-off applies to every
 * service whose regulation declares it (Astana appendices 1 and 3, cl. 9) and to none that doesn't (appendix 2).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processInbox } from '../../../electron/services/erequests/intake';
import { syncNow } from '../../../electron/services/sync/index';
import { localInstant, workingDaysAfter } from '../../helpers/clock';
import { createErequestRig, type ErequestRig } from '../../helpers/erequests';

let rig: ErequestRig;
let day0: string;
beforeAll(async () => {
  rig = await createErequestRig();
  day0 = rig.clock.today();
}, 120_000);
afterAll(async () => {
  await rig?.close();
});

const base = () => ({
  requestId: randomUUID(),
  iin: rig.pki.citizenIin,
  organizationBin: rig.pki.organizationBin,
  submittedAt: rig.clock.now.toISOString(),
});
const homeVisit = () => ({
  type: 'home-visit',
  ...base(),
  address: 'Астана қ., Тұран д-лы, 5, 12',
  complaint: 'Температура 38,5',
});

async function round() {
  await syncNow(rig.ws.app);
  await processInbox(rig.ws.app);
  await syncNow(rig.ws.app);
}

async function inboxRow(number: string) {
  // A fresh session: the clock moves across days, past any session's idle limit.
  const registrar = await rig.ws.as('registrar');
  const inbox = await registrar.call('erequests.inbox', { open: false, limit: 1000 });
  return inbox.rows.find((r) => r.number === number)!;
}

const stepsOf = (registeredAs: string) =>
  rig.ws.app.db
    .prepare(
      `SELECT s.step_id, s.role, s.started_at, s.completed_at, s.deadline_at FROM request_step s
       JOIN service_request r ON r.id = s.request_id WHERE r.number = ? ORDER BY s.seq`,
    )
    .all(registeredAs) as { step_id: string; role: string; started_at: string; completed_at: string | null; deadline_at: string }[];

describe('portal deadlines from the gateway’s receipt', () => {
  it('a cut-off from receipt: a home visit received at 17:50 and processed at 18:30 is accepted', async () => {
    rig.clock.now = localInstant(day0, '17:50');
    const posted = await rig.post(rig.pki.signRequest(homeVisit(), 'valid'));
    rig.clock.now = localInstant(day0, '18:30');
    await round();
    const row = await inboxRow(posted.body.number);
    expect(row.grounds.find((g) => g.check === 'cutoff')).toMatchObject({ ok: true, code: 'cutoff-ok', params: { at: '17:50' } });
    expect((await rig.status(posted.body.number)).statusReason).not.toBe('after-cutoff');
  }, 60_000);

  it('the cut-off applies to every service that declares it: an attachment at 18:30 (closing 20:00) is refused; an appointment is not', async () => {
    rig.clock.now = localInstant(day0, '18:30');
    const attachment = await rig.post(rig.pki.signRequest({ type: 'attachment', ...base() }, 'valid'));
    const slotStart = localInstant(workingDaysAfter(day0, 1), '10:00').toISOString();
    const appointment = await rig.post(rig.pki.signRequest({ type: 'appointment', ...base(), doctor: 'therapist', slotStart }, 'valid'));
    await round();

    const refused = await rig.status(attachment.body.number);
    expect(refused).toMatchObject({ status: 'refused', statusReason: 'after-cutoff' });
    expect(refused.refusal.reasons[0]).toContain('after 18:00');
    expect(refused.refusal.reason).toMatchObject({
      kk: expect.stringContaining('2 сағат қалғанға дейін'),
      ru: expect.stringContaining('за 2 часа до окончания'),
    });
    expect((await inboxRow(attachment.body.number)).grounds.find((g) => g.check === 'cutoff')).toMatchObject({
      ok: false,
      code: 'cutoff-late',
      params: { at: '18:30', until: '18:00', close: '20:00', minutes: 120 },
    });

    // Appendix 2 (appointment) has no cut-off: no such ground, and whatever the answer, not that refusal.
    const booked = await inboxRow(appointment.body.number);
    expect(booked.grounds.some((g) => g.check === 'cutoff')).toBe(false);
    expect((await rig.status(appointment.body.number)).statusReason).not.toBe('after-cutoff');
  }, 60_000);

  it('a home visit received at 10:00 and pulled the next working day is due that day, shows overdue, and is not moved by the rules', async () => {
    rig.clock.now = localInstant(day0, '10:00');
    const posted = await rig.post(rig.pki.signRequest(homeVisit(), 'valid'));
    const receivedAt = localInstant(day0, '10:00').toISOString();
    // The desk was offline: it pulls and processes the request the next working day.
    const day1 = workingDaysAfter(day0, 1);
    rig.clock.now = localInstant(day1, '10:00');
    await round();

    const row = await inboxRow(posted.body.number);
    // The receipt time is the server's gateway's, carried to the desk with the row.
    expect(row.receivedAt).toBe(receivedAt);
    // The day of the application's close (clause 9: rendered that day), not the day of processing.
    expect(row.deadlineAt).toBe(localInstant(day0, '20:00').toISOString());
    expect(row.timeLeftMs).toBeLessThan(0);
    // Fully automated, yet the rules leave it to a registrar: the visit's day has passed, nothing is moved silently.
    expect(row.status).toBe('awaiting-registrar');
    expect(row.decision).toBeNull();
    const window = row.grounds.find((g) => g.check === 'visit-window')!;
    expect(window).toMatchObject({ ok: false, code: 'visit-day-passed', params: { date: day0, today: day1 }, hold: true });
    expect((row.proposal as { visitDate?: string }).visitDate).toBe(day1);

    // The request and its portal steps started at receipt; the registrar's step opened then, and is overdue.
    const steps = stepsOf(row.registeredAs!);
    expect(steps[0]!.started_at).toBe(receivedAt);
    const registrar = steps.find((s) => s.role === 'registrar')!;
    expect(registrar.started_at).toBe(receivedAt);
    expect(Date.parse(registrar.deadline_at)).toBeLessThan(rig.clock.now.getTime());
    const request = rig.ws.app.db.prepare(`SELECT created_at, deadline_at FROM service_request WHERE number = ?`).get(row.registeredAs) as {
      created_at: string;
      deadline_at: string;
    };
    expect(request).toEqual({ created_at: receivedAt, deadline_at: row.deadlineAt });
    expect((await rig.status(posted.body.number)).deadlineAt).toBe(row.deadlineAt);

    // A registrar decides, seeing it overdue: confirming enters the visit for today, as the proposal said.
    const desk = await rig.ws.as('registrar');
    const done = await desk.call('erequests.resolve', { id: row.id, decision: 'confirm' });
    // Shown by the registrar's name, not her login.
    expect(done).toMatchObject({ status: 'done', decision: { kind: 'result', by: 'registrar', byName: 'Айгүл Серікқызы Нұрланова' } });
    const visits = await desk.call('homeVisits.ofPerson', { iin: rig.pki.citizenIin });
    expect(visits.find((v) => v.number === done.journalRef)?.visitDate).toBe(day1);
  }, 60_000);

  it('a home visit received in the morning and processed in the afternoon gets a visit the same day, by the rules', async () => {
    const day = workingDaysAfter(day0, 2);
    rig.clock.now = localInstant(day, '09:00');
    const posted = await rig.post(rig.pki.signRequest(homeVisit(), 'valid'));
    rig.clock.now = localInstant(day, '13:00');
    await round();
    const row = await inboxRow(posted.body.number);
    expect(row.deadlineAt).toBe(localInstant(day, '20:00').toISOString());
    expect(row.grounds.find((g) => g.check === 'visit-window')).toMatchObject({ ok: true, params: { date: day } });
    const seen = await rig.status(posted.body.number);
    expect(seen.status).toBe('done');
    expect(JSON.parse(seen.result.document)).toMatchObject({ type: 'home-visit-certificate', visitDate: day });
  }, 60_000);

  it('a home visit received at 10:00 and processed at 19:50 (no window left) waits for a registrar, not refused by the rules', async () => {
    const day = workingDaysAfter(day0, 3);
    rig.clock.now = localInstant(day, '10:00');
    const posted = await rig.post(rig.pki.signRequest(homeVisit(), 'valid'));
    rig.clock.now = localInstant(day, '19:50');
    await round();
    const row = await inboxRow(posted.body.number);
    expect(row.status).toBe('awaiting-registrar');
    expect(row.grounds.find((g) => g.check === 'visit-window')).toMatchObject({
      ok: false,
      code: 'visit-window-passed',
      params: { date: day },
      hold: true,
    });
  }, 60_000);

  it('an e-request stored before the details were codes still reads (English detail, the old `slot` check)', async () => {
    // Left for a registrar (an answered e-request cannot change).
    const admin = await rig.ws.as('admin');
    await admin.call('erequests.setPolicy', { autoAnswer: false, confirmAutomated: true, onBehalfOf: null });
    rig.clock.now = localInstant(workingDaysAfter(day0, 4), '10:00');
    const posted = await rig.post(rig.pki.signRequest(homeVisit(), 'valid'));
    await round();
    const old = [
      { check: 'person', ok: true, detail: 'found in the population register' },
      { check: 'slot', ok: true, detail: 'Жұмабаев А. Н., 13:00–17:00' },
    ];
    rig.ws.app.db.prepare(`UPDATE erequest SET grounds = ? WHERE number = ?`).run(JSON.stringify(old), posted.body.number);
    expect((await inboxRow(posted.body.number)).grounds).toEqual(old);
  }, 60_000);
});
