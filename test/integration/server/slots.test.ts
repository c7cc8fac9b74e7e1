/**
 * Issue 15, point 5: `GET /v1/gateway/slots` on a real server (PGlite and PostgreSQL) with an enrolled desk that
 * pushed a doctor, the doctor's timetable, a leave, extra hours and a booking. The answer leaves out the booked slot,
 * the leave day and the public holiday, adds the extra hours, names the doctor and the times only (no IIN, no
 * patient), and a bad parameter is a 400 naming it.
 *
 * Dates come from the shipped calendar: the clock stands a few days before the next public holiday that falls on
 * a weekday, so the test holds whatever day it runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrganization } from '../../../db/organization';
import { syncNow } from '../../../electron/services/sync/index';
import { createGatewayCredential } from '../../../server/gateway';
import { dayNumberOf, dayNumberToIso, isoWeekday } from '../../../common/working-calendar';
import { createTestWorkstation, type Caller, type TestWorkstation } from '../../helpers/app';
import { localDate, localInstant, realNow, shippedCalendar, TEST_TIME_ZONE, TestClock } from '../../helpers/clock';
import { startPostgres, type PgCluster } from '../../helpers/postgres';
import { startTestServer, type Backend, type TestServer } from '../../helpers/sync-server';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.close();
});

const DOCTOR = { login: 'dr.slots', fullName: 'Айгүл Слотова', iin: '850101400011', role: 'physician', specialty: 'gp' } as const;
const HOURS = { start: '09:00', end: '12:00', breaks: [] };
const TEMPLATE = { slotMinutes: 30, room: '12', days: [HOURS, HOURS, HOURS, HOURS, HOURS, null, null] };
/** 09:00–12:00 in 30-minute slots. */
const DAY_SLOTS = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'];

/** The next public holiday on a weekday, and the days around it the test uses. */
function plan() {
  const cal = shippedCalendar();
  let holiday = dayNumberOf(localDate(realNow())) + 10;
  const end = holiday + 800;
  while (!(cal.isHoliday(holiday) && isoWeekday(holiday) <= 5))
    if (++holiday > end) throw new Error('no weekday holiday in the shipped calendar');
  const start = holiday - 6; // the clock's day
  const from = start + 1;
  const to = from + 13;
  const working: number[] = [];
  for (let d = from; d <= to; d++) if (cal.isWorkingDayNumber(d) && isoWeekday(d) <= 5) working.push(d);
  let saturday = from;
  while (isoWeekday(saturday) !== 6 || cal.isWorkingDayNumber(saturday)) saturday++;
  return {
    today: dayNumberToIso(start),
    from: dayNumberToIso(from),
    to: dayNumberToIso(to),
    holiday: dayNumberToIso(holiday),
    leave: dayNumberToIso(working[0]!),
    booked: dayNumberToIso(working[1]!),
    free: dayNumberToIso(working[2]!),
    saturday: dayNumberToIso(saturday),
  };
}

describe.each<Backend>(['pglite', 'postgres'])('portal free times on %s', (backend) => {
  const days = plan();
  const clock = new TestClock(localInstant(days.today, '10:00'));
  let server: TestServer;
  let ws: TestWorkstation;
  let gateway: string;
  let patientIin: string;

  const get = async (query: string, credential = gateway) => {
    const r = await fetch(`${server.url}/v1/gateway/slots?${query}`, { headers: { authorization: `Bearer ${credential}` } });
    return { status: r.status, text: await r.clone().text(), body: (await r.json()) as any };
  };
  const org = () => getOrganization(ws.app.db)!.bin;
  const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: TEST_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  /** The local start times (HH:MM) of the slots on one local date. */
  const localTimes = (slots: Array<{ start: string }>, date: string) =>
    slots.filter((s) => localDate(new Date(s.start)) === date).map((s) => hhmm.format(new Date(s.start)));

  beforeAll(async () => {
    server = await startTestServer(backend, cluster, { clock: clock.read });
    ws = createTestWorkstation({ population: 5, clock: clock.read });
    const admin: Caller = await ws.as('admin');
    await admin.call('sync.enroll', { serverUrl: server.url, code: await server.code(org()) });
    gateway = (await createGatewayCredential(server.db, 'test portal')).credential;
    const { staff } = await admin.call('staff.create', DOCTOR);
    await admin.call('timetables.setTemplate', { doctorId: staff.id, template: TEMPLATE });
    await admin.call('timetables.addException', { doctorId: staff.id, kind: 'leave', from: days.leave, to: days.leave, note: 'курс' });
    await admin.call('timetables.addException', {
      doctorId: staff.id,
      kind: 'extra',
      from: days.saturday,
      to: days.saturday,
      start: '09:00',
      end: '10:00',
    });
    const registrar = await ws.as('registrar');
    patientIin = (ws.app.db.prepare(`SELECT iin FROM person ORDER BY iin LIMIT 1`).get() as { iin: string }).iin;
    await registrar.call('appointments.book', {
      iin: patientIin,
      doctorId: staff.id,
      slotStart: localInstant(days.booked, '09:30').toISOString(),
      channel: 'phone',
    });
    await syncNow(ws.app);
  }, 120_000);
  afterAll(async () => {
    ws?.close();
    await server?.close();
  });

  it('offers the doctor’s free slots: not the booked one, not on leave or the holiday; extra hours on a Saturday', async () => {
    const r = await get(`org=${org()}&doctor=${DOCTOR.login}&from=${days.from}&to=${days.to}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ organizationBin: org(), timeZone: 'Asia/Almaty', from: days.from, to: days.to, truncated: false });
    const slots = r.body.slots as Array<{ doctor: string; doctorName: string; specialty: string; start: string; end: string }>;
    expect(slots[0]).toEqual({
      doctor: DOCTOR.login,
      doctorName: DOCTOR.fullName,
      specialty: 'gp',
      start: expect.any(String),
      end: new Date(Date.parse(slots[0]!.start) + 30 * 60_000).toISOString(),
    });
    expect(localTimes(slots, days.free)).toEqual(DAY_SLOTS);
    expect(localTimes(slots, days.booked)).toEqual(DAY_SLOTS.filter((t) => t !== '09:30'));
    expect(localTimes(slots, days.leave)).toEqual([]);
    expect(localTimes(slots, days.holiday)).toEqual([]);
    expect(localTimes(slots, days.saturday)).toEqual(['09:00', '09:30']);
    // Earliest first, within the period.
    expect(slots.map((s) => s.start)).toEqual([...slots.map((s) => s.start)].sort());
    expect(localDate(new Date(slots[0]!.start)) >= days.from && localDate(new Date(slots.at(-1)!.start)) <= days.to).toBe(true);
    // No personal data: neither the doctor's IIN nor the patient's, nor anything of the demo staff the server never received.
    expect(r.text).not.toContain(DOCTOR.iin);
    expect(r.text).not.toContain(patientIin);
    expect(r.text).not.toMatch(/iin|phone|patient/i);
  });

  it('filters by specialty, defaults to a week from today, and limits the answer', async () => {
    expect((await get(`org=${org()}&specialty=gp&from=${days.free}&to=${days.free}`)).body.slots).toHaveLength(DAY_SLOTS.length);
    expect((await get(`org=${org()}&specialty=therapist&from=${days.free}&to=${days.free}`)).body.slots).toEqual([]);
    const week = await get(`org=${org()}`);
    expect(week.body).toMatchObject({ from: days.today, to: dayNumberToIso(dayNumberOf(days.today) + 6) });
    // Today's slots before the clock's 10:00 are past.
    expect(localTimes(week.body.slots, days.today).every((t) => t >= '10:00')).toBe(true);
    const limited = await get(`org=${org()}&from=${days.from}&to=${days.to}&limit=3`);
    expect(limited.body.slots).toHaveLength(3);
    expect(limited.body.truncated).toBe(true);
  });

  it('frees the slot again when the booking is cancelled', async () => {
    const registrar = await ws.as('registrar');
    const id = (ws.app.db.prepare(`SELECT id FROM appointment WHERE status = 'booked' ORDER BY id DESC LIMIT 1`).get() as { id: number })
      .id;
    await registrar.call('appointments.cancel', { id, reason: 'науқас бас тартты' });
    await syncNow(ws.app);
    const r = await get(`org=${org()}&doctor=${DOCTOR.login}&from=${days.booked}&to=${days.booked}`);
    expect(localTimes(r.body.slots, days.booked)).toEqual(DAY_SLOTS);
  });

  it('answers a bad parameter with 400 naming it, an unknown organization or doctor with 404, no credential with 401', async () => {
    const cases: Array<[string, string]> = [
      ['', 'org'],
      ['org=12345', 'org'],
      [`org=${'1'.repeat(12)}&specialty=surgeon`, 'specialty'],
      [`org=${'1'.repeat(12)}&from=2026-02-30`, 'from'],
      [`org=${'1'.repeat(12)}&from=${days.from}&to=${days.today}`, 'to'],
      [`org=${'1'.repeat(12)}&from=${days.from}&to=${dayNumberToIso(dayNumberOf(days.from) + 14)}`, 'to'],
      [`org=${'1'.repeat(12)}&limit=0`, 'limit'],
      [`org=${'1'.repeat(12)}&doctor=a%20b`, 'doctor'],
      [`org=${'1'.repeat(12)}&org=${'2'.repeat(12)}`, 'org'],
    ];
    for (const [query, parameter] of cases) {
      const r = await get(query);
      expect({ query, status: r.status, parameter: r.body.parameter }).toEqual({ query, status: 400, parameter });
      expect(r.body.message).toMatch(new RegExp(`^${parameter}: `));
    }
    // Fourteen days is the most, and it is allowed.
    expect((await get(`org=${org()}&from=${days.from}&to=${dayNumberToIso(dayNumberOf(days.from) + 13)}`)).status).toBe(200);
    expect(await get(`org=${'9'.repeat(12)}`)).toMatchObject({ status: 404, body: { error: 'unknown-organization', parameter: 'org' } });
    expect(await get(`org=${org()}&doctor=nobody`)).toMatchObject({ status: 404, body: { error: 'unknown-doctor', parameter: 'doctor' } });
    expect((await get(`org=${org()}`, 'gw-000000000000.nope')).status).toBe(401);
  });
});
