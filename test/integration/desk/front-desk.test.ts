/**
 * The front desk against a real SQLite file: districts from addresses, timetables with holidays and leave, bookings
 * (including two desks in two processes booking one slot at the same instant), home-visit calls, attachment with a
 * talon, journals. Every refusal is a clear error code and leaves nothing half-saved.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCode, verificationUrl } from '../../../common/verification';
import { getVerification } from '../../../db/verifications';
import { makeIin } from '../../../common/iin';
import { upsertPerson } from '../../../db/people';
import { listOutbox } from '../../../db/outbox';
import { getEnrollment } from '../../../db/sync';
import { PROJECT_ROOT } from '../../../electron/services/paths';
import { createTestWorkstation, type Caller, type TestWorkstation } from '../../helpers/app';
import { errorCode } from '../../helpers/api-errors';
import { readQrCodes } from '../../helpers/qr-reader';

// Tuesday 10 March 2026, 09:00 in Astana (UTC+5). Monday 9 March is the day off moved from 8 March (a Sunday).
let now = new Date('2026-03-10T04:00:00Z');
let ws: TestWorkstation;
let reg: Caller;
let admin: Caller;

const ADULT = makeIin('1985-03-01', 'F', 11);
const CHILD = makeIin('2019-07-15', 'M', 12);
const OUTSIDE = makeIin('1990-01-20', 'M', 13);
const SECOND = makeIin('1972-11-05', 'M', 14);

const count = (table: string) => (ws.app.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

beforeAll(async () => {
  ws = createTestWorkstation({ clock: () => now, population: 50 });
  const put = (iin: string, surname: string, given: string, birth: string, sex: 'M' | 'F', address: string) =>
    upsertPerson(
      ws.app.db,
      { iin, surname, givenName: given, patronymic: null, birthDate: birth, sex, address, phone: '+7 701 555 12 12', source: 'register' },
      now,
    );
  put(ADULT, 'Қасымова', 'Динара', '1985-03-01', 'F', 'Астана қ., Тұран д-лы, 12-үй, 4-пәтер');
  put(CHILD, 'Қасымов', 'Әлихан', '2019-07-15', 'M', 'Астана қ., Қабанбай батыр д-лы, 7-үй, 15-пәтер');
  put(OUTSIDE, 'Сейітов', 'Арман', '1990-01-20', 'M', 'Астана қ., Сығанақ к-сі, 5-үй');
  put(SECOND, 'Иванов', 'Сергей', '1972-11-05', 'M', 'г. Астана, ул. Туран, 70, кв. 3');
  reg = await ws.as('registrar');
  admin = await ws.as('admin');
});
afterAll(() => ws?.close());

async function doctor(login: string) {
  const o = await reg.call('desk.overview', {});
  return o.doctors.find((d) => d.login === login)!;
}

describe('districts', () => {
  it('finds a person’s district and doctor from the address (normalized street, house ranges), or says it is outside', async () => {
    const adult = await reg.call('districts.resolve', { iin: ADULT });
    expect(adult).toMatchObject({
      matchedBy: 'address',
      problem: null,
      street: 'Тұран д-лы',
      house: 12,
      district: { number: '1' },
      doctor: { specialty: 'therapist' },
    });
    const child = await reg.call('districts.resolve', { iin: CHILD });
    expect(child).toMatchObject({ district: { number: '1' }, doctor: { specialty: 'paediatrician' } });
    // "г. Астана, ул. Туран, 70": Russian abbreviations, no Kazakh letters, house 70 → district 2.
    expect(await reg.call('districts.resolve', { iin: SECOND })).toMatchObject({ district: { number: '2' }, house: 70 });
    const out = await reg.call('districts.resolve', { iin: OUTSIDE });
    expect(out).toMatchObject({ district: null, problem: 'outside', doctor: null });
    const byHand = await reg.call('districts.resolve', {
      iin: OUTSIDE,
      districtId: out.district?.id ?? (await reg.call('desk.overview', {})).districts[2]!.id,
    });
    expect(byHand.district?.number).toBe('3');
    expect(byHand.doctor?.specialty).toBe('therapist');
  });
});

describe('timetables', () => {
  it('makes slots from the weekly template, without breaks, holidays and weekends; leave shows as leave', async () => {
    const t = await doctor('therapist3');
    const w = await reg.call('timetables.week', { doctorId: t.id, from: '2026-03-10' });
    expect(w.from).toBe('2026-03-09');
    expect(w.days.map((d) => d.off)).toEqual(['holiday', null, null, null, null, 'weekend', 'weekend']);
    const tue = w.days[1]!;
    expect(tue.hours).toEqual([{ start: '08:00', end: '13:00', extra: false }]);
    expect(tue.slots.map((s) => s.time)).not.toContain('10:30');
    expect(tue.slots.map((s) => s.time)).toContain('10:45');
    expect(tue.slots.length).toBe(19);
    expect(tue.slots.find((s) => s.time === '08:45')!.state).toBe('past');
    expect(tue.slots.find((s) => s.time === '09:00')!.state).toBe('free');
    const next = await reg.call('timetables.week', { doctorId: t.id, from: '2026-03-17' });
    expect(next.days.slice(0, 5).map((d) => d.off)).toEqual([null, 'leave', 'leave', 'leave', 'leave']);
  });

  it('the administrator edits the template and adds extra hours and a sick day; the registrar may not', async () => {
    const t = await doctor('gp2');
    const w = await admin.call('timetables.week', { doctorId: t.id, from: '2026-03-10' });
    const template = {
      ...w.template!,
      slotMinutes: 20,
      days: w.template!.days.map((d, i) => (i === 1 ? { start: '08:00', end: '10:00', breaks: [] } : d)),
    };
    const after = await admin.call('timetables.setTemplate', { doctorId: t.id, template });
    expect(after.days[1]!.slots.map((s) => s.time)).toEqual(['08:00', '08:20', '08:40', '09:00', '09:20', '09:40']);
    const extra = await admin.call('timetables.addException', {
      doctorId: t.id,
      kind: 'extra',
      from: '2026-03-14',
      to: '2026-03-14',
      start: '10:00',
      end: '11:00',
    });
    expect(extra.affected).toEqual([]);
    const sat = (await admin.call('timetables.week', { doctorId: t.id, from: '2026-03-14' })).days[5]!;
    expect(sat).toMatchObject({ off: null, hours: [{ start: '10:00', end: '11:00', extra: true }] });
    expect(
      await errorCode(reg.call('timetables.addException', { doctorId: t.id, kind: 'sick', from: '2026-03-12', to: '2026-03-12' })),
    ).toBe('forbidden');
    expect(
      await errorCode(admin.call('timetables.addException', { doctorId: t.id, kind: 'sick', from: '2026-03-01', to: '2026-03-02' })),
    ).toBe('date-in-past');
  });
});

describe('appointments', () => {
  it('books a slot through the step engine, with the audit, the outbox booking and a provisional sync status', async () => {
    const t = await doctor('therapist3');
    const requests = count('service_request');
    const a = await reg.call('appointments.book', { iin: ADULT, doctorId: t.id, slotStart: '2026-03-10T04:15:00.000Z', channel: 'phone' });
    expect(a).toMatchObject({
      number: 'A4-P000001',
      date: '2026-03-10',
      time: '09:15',
      endTime: '09:30',
      status: 'booked',
      sync: 'provisional',
      doctor: { room: '109' },
    });
    expect(count('service_request')).toBe(requests + 1);
    const req = ws.app.db.prepare(`SELECT status, service_id, channel FROM service_request WHERE number = ?`).get(a.requestNumber);
    expect(req).toEqual({ status: 'done', service_id: 'appointment', channel: 'phone' });
    const ops = listOutbox(ws.app.db).filter((o) => o.kind === 'booking.create');
    expect(ops.at(-1)!.payload).toMatchObject({ doctor: 'therapist3', slot_start: '2026-03-10T04:15:00.000Z', patient_iin: ADULT });
    // The same slot again: the database refuses it; the registrar hears the next free time; nothing is saved.
    const before = [count('service_request'), count('appointment'), count('outbox'), count('audit_log')];
    const taken = await reg.raw('appointments.book', {
      iin: SECOND,
      doctorId: t.id,
      slotStart: '2026-03-10T04:15:00.000Z',
      channel: 'desk',
    });
    expect(taken).toMatchObject({ ok: false, error: { code: 'slot-taken', params: { time: '09:15', next: '2026-03-10 09:30' } } });
    expect([count('service_request'), count('appointment'), count('outbox'), count('audit_log')]).toEqual(before);
  });

  it('finds the first free slot of any doctor of a specialty, and says who is away', async () => {
    const r = await reg.call('appointments.freeSlots', { specialty: 'therapist', limit: 3 });
    expect(r.slots[0]).toMatchObject({ date: '2026-03-10', time: '09:00' });
    // therapist2 and therapist3 both start at 09:00; therapist3's 09:15 is booked above.
    expect(r.slots.map((s) => s.time)).toEqual(['09:00', '09:00', '09:15']);
    expect(r.unavailable).toEqual([expect.objectContaining({ kind: 'leave', from: '2026-03-17', to: '2026-03-23' })]);
  });

  it('refuses a doctor on leave, a time outside the timetable, a holiday and a date in the past', async () => {
    const t = await doctor('therapist3');
    const leave = await reg.raw('appointments.book', {
      iin: ADULT,
      doctorId: t.id,
      slotStart: '2026-03-17T04:00:00.000Z',
      channel: 'desk',
    });
    expect(leave).toMatchObject({
      ok: false,
      error: { code: 'doctor-unavailable', params: { kind: 'leave', from: '2026-03-17', to: '2026-03-23' } },
    });
    expect(
      await errorCode(
        reg.call('appointments.book', { iin: ADULT, doctorId: t.id, slotStart: '2026-03-10T05:31:00.000Z', channel: 'desk' }),
      ),
    ).toBe('slot-not-available');
    expect(
      await errorCode(
        reg.call('appointments.book', { iin: ADULT, doctorId: t.id, slotStart: '2026-03-09T04:00:00.000Z', channel: 'desk' }),
      ),
    ).toBe('slot-not-available');
    expect(
      await errorCode(
        reg.call('appointments.book', { iin: ADULT, doctorId: t.id, slotStart: '2026-03-06T04:00:00.000Z', channel: 'desk' }),
      ),
    ).toBe('date-in-past');
  });

  it('takes a walk-in into the first free slot today, cancels with a reason, reschedules, and frees the slot', async () => {
    const t = await doctor('therapist3');
    const walk = await reg.call('appointments.book', { iin: SECOND, doctorId: t.id, walkIn: true, channel: 'desk' });
    expect(walk).toMatchObject({ kind: 'walk-in', time: '09:00' });
    const moved = await reg.call('appointments.reschedule', { id: walk.id, slotStart: '2026-03-11T05:00:00.000Z' });
    expect(moved).toMatchObject({ date: '2026-03-11', time: '10:00', status: 'booked', requestNumber: walk.requestNumber });
    expect(await reg.call('appointments.ofPerson', { iin: SECOND })).toHaveLength(1);
    const old = ws.app.db.prepare(`SELECT status, rescheduled_to FROM appointment WHERE id = ?`).get(walk.id);
    expect(old).toEqual({ status: 'rescheduled', rescheduled_to: moved.id });
    // The 09:00 slot is free again and can be booked.
    const again = await reg.call('appointments.book', {
      iin: CHILD,
      doctorId: t.id,
      slotStart: '2026-03-10T04:00:00.000Z',
      channel: 'desk',
    });
    const cancelled = await reg.call('appointments.cancel', { id: again.id, reason: 'Пациент бас тартты' });
    expect(cancelled).toMatchObject({ status: 'cancelled', reason: 'Пациент бас тартты' });
    expect(await errorCode(reg.call('appointments.cancel', { id: again.id, reason: 'twice' }))).toBe('appointment-closed');
    const cancelOp = listOutbox(ws.app.db)
      .filter((o) => o.kind === 'booking.cancel')
      .at(-1)!;
    expect(cancelOp.payload).toMatchObject({ doctor: 'therapist3', slot_start: '2026-03-10T04:00:00.000Z' });
    // A closed appointment cannot be rewritten, even by hand.
    expect(() => ws.app.db.prepare(`UPDATE appointment SET status = 'booked' WHERE id = ?`).run(again.id)).toThrow(/cannot change/);
    expect(() => ws.app.db.prepare(`DELETE FROM appointment WHERE id = ?`).run(again.id)).toThrow(/append-only/);
  });

  it('two desks in two processes book one slot at the same instant: exactly one wins', async () => {
    const t = await doctor('therapist3');
    const slot = '2026-03-12T06:00:00.000Z';
    const startAt = Date.now() + 2500;
    const worker = path.join(PROJECT_ROOT, 'test/integration/desk/book-worker.ts');
    const run = (iin: string) =>
      new Promise<{ ok: boolean; code?: string }>((resolve, reject) => {
        const p = spawn(
          process.execPath,
          ['--import', 'tsx', worker, ws.dir, now.toISOString(), String(startAt), iin, String(t.id), slot],
          { cwd: PROJECT_ROOT },
        );
        let out = '';
        let err = '';
        p.stdout.on('data', (c) => (out += c));
        p.stderr.on('data', (c) => (err += c));
        p.on('exit', () => {
          try {
            resolve(JSON.parse(out.trim().split('\n').pop()!));
          } catch {
            reject(new Error(`worker failed: ${err || out}`));
          }
        });
      });
    const results = await Promise.all([run(ADULT), run(SECOND)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => r.code)).toEqual(['slot-taken']);
    const rows = ws.app.db
      .prepare(`SELECT count(*) AS n FROM appointment WHERE doctor_id = ? AND slot_start = ? AND status = 'booked'`)
      .get(t.id, slot) as { n: number };
    expect(rows.n).toBe(1);
  }, 30_000);
});

describe('home-visit calls', () => {
  it('registers a phone call for the district doctor the same day, through the step engine', async () => {
    const r = await reg.call('districts.resolve', { iin: ADULT });
    // Dr Zhumabayev receives 14:00–19:00 on Tuesdays: the visit is proposed before reception, from the next half hour.
    expect(r.window).toEqual({ date: '2026-03-10', from: '10:00', to: '14:00' });
    const v = await reg.call('homeVisits.register', {
      iin: ADULT,
      channel: 'phone',
      address: 'Астана қ., Тұран д-лы, 12-үй, 4-пәтер',
      phone: '+7 701 555 12 12',
      complaint: 'Қызуы 38,5, жөтел',
      caller: 'relative',
      callerName: 'Қасымов Марат',
      doctorId: r.doctor!.id,
      visitDate: r.window!.date,
      windowFrom: r.window!.from,
      windowTo: r.window!.to,
    });
    expect(v).toMatchObject({ number: 'A4-V000001', status: 'registered', district: '1', caller: 'relative', channel: 'phone' });
    const req = ws.app.db.prepare(`SELECT status, service_id FROM service_request WHERE number = ?`).get(v.requestNumber);
    expect(req).toEqual({ status: 'done', service_id: 'home-visit' });
    expect(listOutbox(ws.app.db).some((o) => o.kind === 'home-visit.register' && o.entityId === v.number)).toBe(true);
  });

  it('refuses an address outside every district until a district is chosen; another day needs a reason; the past is refused', async () => {
    const t = await doctor('therapist3');
    const base = {
      iin: OUTSIDE,
      channel: 'desk' as const,
      address: 'Астана қ., Сығанақ к-сі, 5-үй',
      complaint: 'Бас ауруы',
      caller: 'self' as const,
      doctorId: t.id,
      visitDate: '2026-03-10',
      windowFrom: '13:00',
      windowTo: '17:00',
    };
    const requests = count('service_request');
    expect(await reg.raw('homeVisits.register', base)).toMatchObject({ ok: false, error: { code: 'outside-districts' } });
    expect(count('service_request')).toBe(requests);
    const d3 = (await reg.call('desk.overview', {})).districts.find((d) => d.number === '3')!;
    expect(await errorCode(reg.call('homeVisits.register', { ...base, districtId: d3.id, visitDate: '2026-03-11' }))).toBe(
      'visit-reason-required',
    );
    expect(await errorCode(reg.call('homeVisits.register', { ...base, districtId: d3.id, visitDate: '2026-03-09' }))).toBe('date-in-past');
    expect(await errorCode(reg.call('homeVisits.register', { ...base, districtId: d3.id, windowFrom: '07:00', windowTo: '08:30' }))).toBe(
      'window-passed',
    );
    expect(
      await errorCode(
        reg.call('homeVisits.register', { ...base, districtId: d3.id, visitDate: '2026-03-17', lateReason: 'Дәрігер демалыста емес пе?' }),
      ),
    ).toBe('doctor-unavailable');
    const late = await reg.call('homeVisits.register', {
      ...base,
      districtId: d3.id,
      visitDate: '2026-03-11',
      lateReason: 'Науқас ертең келуін сұрады',
    });
    expect(late).toMatchObject({ visitDate: '2026-03-11', lateReason: 'Науқас ертең келуін сұрады', district: '3' });
  });

  it('lists a doctor’s visits of the day in route order and records visited / cancelled (with a reason)', async () => {
    const t1 = await doctor('therapist');
    const mk = (iin: string, address: string) =>
      reg.call('homeVisits.register', {
        iin,
        channel: 'phone',
        address,
        complaint: 'Қызуы',
        caller: 'self',
        doctorId: t1.id,
        visitDate: '2026-03-10',
        windowFrom: '13:00',
        windowTo: '17:00',
      });
    await mk(SECOND, 'Астана қ., Қабанбай батыр д-лы, 40-үй');
    await mk(CHILD, 'Астана қ., Тұран д-лы, 3-үй');
    const day = await reg.call('homeVisits.doctorDay', { doctorId: t1.id, date: '2026-03-10' });
    // District 1's streets in order (Тұран, then Қабанбай батыр), houses ascending.
    expect(day.visits.map((v) => v.address)).toEqual([
      'Астана қ., Тұран д-лы, 3-үй',
      'Астана қ., Тұран д-лы, 12-үй, 4-пәтер',
      'Астана қ., Қабанбай батыр д-лы, 40-үй',
    ]);
    expect(await errorCode(reg.call('homeVisits.setStatus', { id: day.visits[0]!.id, status: 'cancelled' }))).toBe('validation');
    expect(
      (await reg.call('homeVisits.setStatus', { id: day.visits[0]!.id, status: 'cancelled', reason: 'Ата-анасы емханаға өзі келді' }))
        .status,
    ).toBe('cancelled');
    const doc = await ws.as('therapist');
    // Another doctor, and the administrator, cannot close this doctor's call.
    const other = await ws.as('gp');
    expect(await errorCode(other.call('homeVisits.setStatus', { id: day.visits[1]!.id, status: 'visited' }))).toBe('forbidden');
    expect(await errorCode(admin.call('homeVisits.setStatus', { id: day.visits[1]!.id, status: 'visited' }))).toBe('forbidden');
    expect((await doc.call('homeVisits.setStatus', { id: day.visits[1]!.id, status: 'visited' })).status).toBe('visited');
    expect(await errorCode(doc.call('homeVisits.setStatus', { id: day.visits[1]!.id, status: 'cancelled', reason: 'again' }))).toBe(
      'visit-closed',
    );
    const pdf = await reg.call('homeVisits.doctorDayPdf', { doctorId: t1.id, date: '2026-03-10' });
    const text = pdfText(pdf.base64);
    expect(text).toContain('Үйге шақырулар тізімі');
    expect(text.indexOf('Қабанбай батыр')).toBeGreaterThan(text.indexOf('Тұран д-лы, 12'));
  });
});

function pdfText(base64: string): string {
  const file = path.join(ws.dir, `t-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe('attachment', () => {
  it('refuses an application without a required document, then attaches and issues a numbered talon', async () => {
    const requests = count('service_request');
    const missing = await reg.raw('attachments.apply', {
      iin: ADULT,
      documents: ['application'],
      previousOrganization: '№2 қалалық емхана',
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'document-missing', params: { ids: 'identity-document' } } });
    expect(count('service_request')).toBe(requests);
    const a = await reg.call('attachments.apply', {
      iin: ADULT,
      documents: ['application', 'identity-document'],
      previousOrganization: '№2 қалалық емхана',
    });
    expect(a).toMatchObject({
      talonNumber: 'A4-T000001',
      district: { number: '1' },
      doctor: { specialty: 'therapist' },
      previousOrganization: '№2 қалалық емхана',
      status: 'active',
      districtChosenByHand: false,
    });
    expect(a.verification).toMatch(/^[0-9A-F]{16}$/);
    const op = listOutbox(ws.app.db).find((o) => o.kind === 'attachment.create')!;
    expect(op.payload).toMatchObject({ talon: 'A4-T000001', detachFrom: '№2 қалалық емхана' });
    // The person is attached here now: a second application is refused; their district now comes from the attachment.
    expect(await reg.raw('attachments.apply', { iin: ADULT, documents: ['application', 'identity-document'] })).toMatchObject({
      ok: false,
      error: { code: 'already-attached', params: { talon: 'A4-T000001' } },
    });
    expect(await reg.call('districts.resolve', { iin: ADULT })).toMatchObject({
      matchedBy: 'attachment',
      attachment: { talonNumber: 'A4-T000001' },
    });
    expect(() =>
      ws.app.db
        .prepare(
          `INSERT INTO attachment (talon_number, request_id, person_iin, district_id, district_by_hand, documents, verification, attached_at, attached_day, created_by) SELECT 'X', request_id, person_iin, district_id, 0, '[]', 'x', attached_at, attached_day, created_by FROM attachment WHERE id = ?`,
        )
        .run(a.id),
    ).toThrow(/UNIQUE/);
    // Outside every district: refused until chosen by hand.
    expect(await errorCode(reg.call('attachments.apply', { iin: OUTSIDE, documents: ['application', 'identity-document'] }))).toBe(
      'outside-districts',
    );
    const d3 = (await reg.call('desk.overview', {})).districts.find((d) => d.number === '3')!;
    const byHand = await reg.call('attachments.apply', {
      iin: OUTSIDE,
      documents: ['application', 'identity-document'],
      districtId: d3.id,
    });
    expect(byHand).toMatchObject({ talonNumber: 'A4-T000002', districtChosenByHand: true, district: { number: '3' } });
  });

  it('prints the talon in Kazakh and Russian with every field, the seal place, the verification code and 1414', async () => {
    const a = (await reg.call('journals.list', { journal: 'attachments', from: '2026-03-10', to: '2026-03-10' })).rows[0]!;
    const t = await reg.call('attachments.get', { id: a.id });
    const pdf = await reg.call('attachments.talon', { id: a.id });
    expect(pdf.pages).toBe(1);
    const text = pdfText(pdf.base64);
    for (const s of [
      'МСАК ұйымына тіркеу туралы анықтама (талон)',
      'Справка (талон) о прикреплении к организации ПМСП',
      'Талон № A4-T000001',
      'Астана қаласының №4 қалалық емханасы',
      'Городская поликлиника №4 города Астаны',
      'БСН: ',
      'БИН: ',
      'Қасымова Динара',
      ADULT,
      'Тұран д-лы, 12-үй',
      '№ 1',
      'Асқар Нұрланұлы Жұмабаев',
      '10.03.2026',
      'М.О. (мөр орны)',
      'М.П. (место печати)',
      // The QR code and the code in letters of the talon's page on the central server (issue 19).
      `Құжаттың түпнұсқалығын тексеру коды: ${groupCode(getVerification(ws.app.db, t.talonNumber)!.code)}`,
      `Код проверки подлинности документа: ${groupCode(getVerification(ws.app.db, t.talonNumber)!.code)}`,
      '1414',
      '№2 қалалық емхана',
    ])
      expect(text, s).toContain(s);
    // Each half's QR code, read from the printed page as a phone would, leads to the talon's page.
    const record = getVerification(ws.app.db, t.talonNumber)!;
    const url = verificationUrl(getEnrollment(ws.app.db)?.serverUrl ?? null, t.talonNumber, record.code);
    const halves = [0, 0.5].map((top) => ({ left: 0.5, top, width: 0.5, height: 0.5 }));
    expect(readQrCodes(Buffer.from(pdf.base64, 'base64'), halves)).toEqual([url, url]);
  });
});

describe('journals', () => {
  it('lists each journal with totals, filters and search, and exports CSV, XLSX and PDF in the column order', async () => {
    const visits = await reg.call('journals.list', { journal: 'home-visits', from: '2026-03-10', to: '2026-03-10' });
    expect(visits.columns.map((c) => c.title).slice(0, 4)).toEqual(['Нөмірі', 'Тіркелген күні, уақыты', 'Арна', 'Тегі, аты, әкесінің аты']);
    expect(visits.totals.all).toBe(visits.rows.length);
    expect(visits.totals.byStatus).toMatchObject({ cancelled: 1, visited: 1 });
    const search = await reg.call('journals.list', { journal: 'home-visits', from: '2026-03-10', to: '2026-03-10', query: 'кас' });
    expect(search.rows.length).toBeGreaterThan(0);
    expect(search.rows.every((r) => /Қасым/.test(r.cells[3]!))).toBe(true);
    const cancelled = await reg.call('journals.list', {
      journal: 'appointments',
      from: '2026-03-10',
      to: '2026-03-10',
      status: 'cancelled',
    });
    expect(cancelled.rows.map((r) => r.status)).toEqual(['cancelled']);
    const csv = await reg.call('journals.export', { journal: 'appointments', from: '2026-03-10', to: '2026-03-10', format: 'csv' });
    const csvText = Buffer.from(csv.base64, 'base64').toString('utf8');
    expect(csvText.startsWith('\uFEFFНөмірі;Тіркелген күні, уақыты;Арна;Тегі, аты, әкесінің аты;ЖСН')).toBe(true);
    const xlsx = await reg.call('journals.export', { journal: 'attachments', from: '2026-03-10', to: '2026-03-10', format: 'xlsx' });
    expect(Buffer.from(xlsx.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
    const pdf = await reg.call('journals.export', { journal: 'home-visits', from: '2026-03-10', to: '2026-03-10', format: 'pdf' });
    const printed = pdfText(pdf.base64);
    expect(printed).toContain('Шақыруларды тіркеу журналы');
    // Laid out for A4 landscape with no IIN, date or header word broken across lines; the registrar by name.
    const listed = await reg.call('journals.list', { journal: 'home-visits', from: '2026-03-10', to: '2026-03-10' });
    expect(listed.rows.length).toBeGreaterThan(0);
    for (const r of listed.rows) {
      for (const cell of r.cells.filter((c) => /^\d{12}$|^\d\d\.\d\d\.\d{4}$/.test(c))) expect(printed).toContain(cell);
    }
    for (const word of ['Тіркелген', 'Телефоны', 'шақырды', 'Тіркеуші']) expect(printed).toContain(word);
    const registrarName = (await reg.call('session.current', {}))!.staff.fullName;
    for (const w of registrarName.split(' ')) expect(printed).toContain(w);
    expect(printed).not.toMatch(/\bregistrar\b/);
  });
});
