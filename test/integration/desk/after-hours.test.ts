/**
 * An evening phone call (issue 16, point 5): after the district doctor's last visit window of the day, the desk
 * offers the doctor's next visiting day by default and asks for no reason, since the same-day rule cannot be met;
 * any other later day still needs one, and a window of today that has passed is named as such.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { addToRegister, createTestWorkstation, type Caller, type TestWorkstation } from '../../helpers/app';
import { refusal } from '../../helpers/api-errors';
import { workingDayClock } from '../../helpers/clock';

const clock = workingDayClock('21:00');
let ws: TestWorkstation;
let reg: Caller;
const PERSON = makeIin('1984-02-03', 'F', 41);

beforeAll(async () => {
  ws = createTestWorkstation({ population: 20, clock: clock.read });
  reg = await ws.as('registrar');
  addToRegister(ws.app, {
    iin: PERSON,
    surname: 'Әбілова',
    givenName: 'Меруерт',
    address: 'Астана қ., Тұран д-лы, 5, 12',
    phone: '+77011234567',
  });
}, 60_000);
afterAll(() => ws?.close());

const call = (over: { doctorId: number; visitDate?: string; windowFrom: string; windowTo: string; startedAt?: string }) => ({
  visitDate: '',
  iin: PERSON,
  channel: 'phone' as const,
  address: 'Астана қ., Тұран д-лы, 5, 12',
  complaint: 'Температура 38',
  caller: 'self' as const,
  ...over,
});

describe('a home-visit call after hours', () => {
  it('offers the doctor’s next visiting day and registers it without a reason', async () => {
    const today = clock.today();
    const r = await reg.call('districts.resolve', { iin: PERSON });
    expect(r.doctor).not.toBeNull();
    expect(r.window).toMatchObject({ afterHours: true });
    expect(r.window!.date > today).toBe(true);
    const visit = await reg.call(
      'homeVisits.register',
      call({
        doctorId: r.doctor!.id,
        visitDate: r.window!.date,
        windowFrom: r.window!.from,
        windowTo: r.window!.to,
        startedAt: clock.now.toISOString(),
      }),
    );
    expect(visit).toMatchObject({ visitDate: r.window!.date, lateReason: null });
  });

  it('still asks a reason for any later day, and names a passed window of today', async () => {
    const r = await reg.call('districts.resolve', { iin: PERSON });
    const later = new Date(Date.parse(`${r.window!.date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const base = call({ doctorId: r.doctor!.id, windowFrom: r.window!.from, windowTo: r.window!.to });
    expect((await refusal(reg, 'homeVisits.register', { ...base, visitDate: later })).code).toBe('visit-reason-required');
    expect(
      await refusal(reg, 'homeVisits.register', { ...base, visitDate: clock.today(), windowFrom: '13:00', windowTo: '17:00' }),
    ).toMatchObject({ code: 'window-passed', fields: ['windowTo'] });
  });

  it('during the day, today’s window is offered as before', async () => {
    const morning = workingDayClock('09:00');
    const day = createTestWorkstation({ population: 20, clock: morning.read });
    try {
      const r2 = await day.as('registrar');
      addToRegister(day.app, {
        iin: PERSON,
        surname: 'Әбілова',
        givenName: 'Меруерт',
        address: 'Астана қ., Тұран д-лы, 5, 12',
      });
      const r = await r2.call('districts.resolve', { iin: PERSON });
      expect(r.window).toMatchObject({ date: morning.today() });
      expect(r.window!.afterHours).toBeUndefined();
    } finally {
      day.close();
    }
  });
});
