/**
 * Issue 15, point 5, end to end on loopback: the portal asks the central server for a doctor's free times
 * (`GET /v1/gateway/slots`), the citizen signs an appointment e-request for one it offered, and the workstation
 * books it and signs the answer with no registrar's action (the organization has a registrar confirm every automated answer). The slot then is no
 * longer offered; a second request for it is refused at once with the slot ground and the next free time. An
 * appointment e-request that does not say the portal offered its time still waits for the registrar.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processInbox } from '../../../electron/services/erequests/intake';
import { policy } from '../../../electron/services/erequests/settings';
import { syncNow } from '../../../electron/services/sync/index';
import { main as gatewayScript } from '../../../server/gateway-submit';
import { localDate, TEST_TIME_ZONE } from '../../helpers/clock';
import { createErequestRig, opensslVerifies, type ErequestRig } from '../../helpers/erequests';

let rig: ErequestRig;
const DOCTOR = { login: 'dr.portal', fullName: 'Дәулет Порталов', iin: null, role: 'physician', specialty: 'therapist' } as const;
const HOURS = { start: '09:00', end: '18:00', breaks: [{ start: '13:00', end: '14:00' }] };

beforeAll(async () => {
  rig = await createErequestRig({ registrarConfirms: true });
  const { staff } = await rig.admin.call('staff.create', DOCTOR);
  // Every day of the week: the rig's clock stands on a working day, which may be a transferred Saturday.
  await rig.admin.call('timetables.setTemplate', {
    doctorId: staff.id,
    template: { slotMinutes: 20, room: '7', days: Array(7).fill(HOURS) },
  });
  await syncNow(rig.ws.app);
}, 120_000);
afterAll(async () => {
  await rig?.close();
});

async function offered(): Promise<Array<{ doctor: string; start: string; end: string }>> {
  const q = `org=${rig.pki.organizationBin}&doctor=${DOCTOR.login}`;
  const r = await fetch(`${rig.server.url}/v1/gateway/slots?${q}`, { headers: { authorization: `Bearer ${rig.gateway}` } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { slots: Array<{ doctor: string; start: string; end: string }> }).slots;
}

const appointment = (slotStart: string, slotOffered?: boolean) => ({
  type: 'appointment',
  requestId: randomUUID(),
  iin: rig.pki.citizenIin,
  organizationBin: rig.pki.organizationBin,
  submittedAt: rig.clock.now.toISOString(),
  doctor: DOCTOR.login,
  slotStart,
  ...(slotOffered === undefined ? {} : { slotOffered }),
});

/** Pull, process, push: one round of the workstation, with no registrar. */
async function round() {
  await syncNow(rig.ws.app);
  await processInbox(rig.ws.app);
  await syncNow(rig.ws.app);
}

const bookedAt = (slotStart: string) =>
  rig.ws.app.db
    .prepare(
      `SELECT a.channel, a.status, a.person_iin FROM appointment a JOIN staff s ON s.id = a.doctor_id WHERE s.login = ? AND a.slot_start = ?`,
    )
    .all(DOCTOR.login, slotStart) as Array<{ channel: string; status: string; person_iin: string }>;

describe('an e-request for a time the portal offered', () => {
  it('is booked and answered without a registrar; the slot is then no longer offered', async () => {
    expect(policy(rig.ws.app)).toMatchObject({ autoAnswer: false, confirmAutomated: true });
    const slot = (await offered())[0]!;
    expect(Date.parse(slot.start)).toBeGreaterThanOrEqual(rig.clock.now.getTime());
    const posted = await rig.post(rig.pki.signRequest(appointment(slot.start, true), 'valid'));
    expect(posted.status).toBe(201);
    await round();

    const seen = await rig.status(posted.body.number);
    expect(seen.status).toBe('done');
    expect(JSON.parse(seen.result.document)).toMatchObject({
      type: 'appointment-certificate',
      slotStart: slot.start,
      doctor: DOCTOR.fullName,
    });
    expect(opensslVerifies(rig.pki, seen.result.document, seen.result.cms)).toBe(true);
    expect(bookedAt(slot.start)).toEqual([{ channel: 'portal', status: 'booked', person_iin: rig.pki.citizenIin }]);
    const row = rig.ws.app.db.prepare(`SELECT decision FROM erequest WHERE number = ?`).get(posted.body.number) as { decision: string };
    expect(JSON.parse(row.decision)).toMatchObject({ kind: 'result', by: 'rules' });
    expect((await offered()).map((s) => s.start)).not.toContain(slot.start);

    // Taken meanwhile: the second request for it is refused at once, with the ground and the next free time.
    const again = await rig.post(rig.pki.signRequest(appointment(slot.start, true), 'valid'));
    await round();
    const refused = await rig.status(again.body.number);
    expect(refused).toMatchObject({ status: 'refused', statusReason: 'grounds-not-met' });
    expect(refused.refusal.reasons.join('\n')).toMatch(/^free-slot: .* is not a free slot$/m);
    expect(refused.refusal.reasons.join('\n')).toMatch(/^next-free-time: \d{4}-\d\d-\d\d \d\d:\d\d$/m);
    // The citizen reads the next free time in their language too.
    expect(refused.refusal.reason.ru).toMatch(/Ближайшее свободное время: \d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(refused.refusal.reason.kk).toMatch(/Келесі бос уақыт: \d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(opensslVerifies(rig.pki, refused.refusal.document, refused.refusal.cms)).toBe(true);
    expect(bookedAt(slot.start)).toHaveLength(1);
  }, 60_000);

  it('leaves an appointment e-request whose time the portal did not offer to the registrar, as before', async () => {
    const slot = (await offered())[0]!;
    const posted = await rig.post(rig.pki.signRequest(appointment(slot.start), 'valid'));
    await round();
    expect((await rig.status(posted.body.number)).status).toBe('registered');
    expect(bookedAt(slot.start)).toEqual([]);
    expect((await offered()).map((s) => s.start)).toContain(slot.start);
  }, 60_000);

  it('is listed by the gateway script in the organization’s local time; a bad parameter is named', async () => {
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const base = ['--server', rig.server.url, '--credential', rig.gateway];
      const code = await gatewayScript(['slots', ...base, ...args], { out: (x) => out.push(x), err: (x) => err.push(x), env: {} });
      return { code, out: out.join(''), err: err.join('') };
    };
    const first = (await offered())[0]!;
    const time = new Intl.DateTimeFormat('en-GB', { timeZone: TEST_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const listed = await run('--org', rig.pki.organizationBin, '--doctor', DOCTOR.login);
    expect(listed.code).toBe(0);
    expect(listed.out.split('\n')[0]).toBe(
      `${localDate(new Date(first.start))} ${time.format(new Date(first.start))}–${time.format(new Date(first.end))}  ${DOCTOR.login}  ${DOCTOR.fullName} (therapist)`,
    );
    const bad = await run('--org', '123');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/HTTP 400\): org: /);
  }, 60_000);
});
