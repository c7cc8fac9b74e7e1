/**
 * Issue 4's figures: the free-slot search across 50 doctors × 4 weeks (every free slot of the period, with about a
 * third of the slots booked; target 20 ms), and a talon PDF after the application's start-up warm-up (issue 18: median ≤ 15 ms, p99 ≤ 2× that). The search's baseline is
 * the naive approach: one SELECT per candidate slot to see whether it is booked.
 */
import { makeIin } from '../common/iin';
import * as appointmentsDb from '../db/desk/appointments';
import * as timetablesDb from '../db/desk/timetables';
import { upsertPerson } from '../db/people';
import { findStaffByLogin, insertStaff } from '../db/staff';
import { openApp } from '../electron/services/app';
import { DEMO_ACCOUNTS, seedDemoData } from '../electron/services/demo-data';
import { talonPdf } from '../electron/services/desk/printouts';
import { WARM_UP_RENDERS, warmPrintouts } from '../electron/services/desk/printout-warm-up';
import { book } from '../electron/services/desk/appointments';
import { attach } from '../electron/services/desk/attachments';
import { searchFreeSlots } from '../electron/services/desk/free-slots';
import { silentLogger } from '../electron/services/log';
import { prng } from '../electron/services/demo-population';
import { figure, median, percentile, type BenchContext, type BenchFigure } from './types';

/** Talons timed after the warm-up. */
const TALONS_TIMED = 500;

export default async function desk(ctx: BenchContext): Promise<BenchFigure[]> {
  // Monday 2 March 2026, 07:00 in Astana: four full weeks ahead (with the 9 March day off).
  const now = new Date('2026-03-02T02:00:00Z');
  const { app } = openApp({ dataDir: ctx.dir, log: silentLogger, clock: () => now });
  seedDemoData(app, { population: 200, passwords: Object.fromEntries(DEMO_ACCOUNTS.map((a) => [a.login, 'bench-pass-1'])) });
  const registrar = findStaffByLogin(app.db, 'registrar')!;
  const person = makeIin('1985-03-01', 'F', 11);
  upsertPerson(
    app.db,
    {
      iin: person,
      surname: 'Қасымова',
      givenName: 'Динара',
      patronymic: null,
      birthDate: '1985-03-01',
      sex: 'F',
      address: 'Астана қ., Тұран д-лы, 12-үй',
      phone: null,
      source: 'register',
    },
    now,
  );

  ctx.log('50 doctors with timetables, a third of their slots booked');
  const ids: number[] = [];
  app.db.transaction(() => {
    for (let i = 0; i < 50; i++) {
      const id = insertStaff(
        app.db,
        {
          login: `bench-doctor-${i}`,
          fullName: `Дәрігер ${i}`,
          iin: null,
          role: 'physician',
          specialty: 'therapist',
          passwordHash: 'locked$bench',
          language: 'kk',
          mustChangePassword: false,
        },
        now,
      );
      const am = { start: '08:00', end: '14:00', breaks: [{ start: '11:00', end: '11:15' }] };
      const pm = { start: '14:00', end: '20:00', breaks: [{ start: '17:00', end: '17:15' }] };
      const days =
        i % 2
          ? [am, pm, am, pm, am, null, null]
          : [pm, am, pm, am, pm, i % 5 === 0 ? { start: '09:00', end: '13:00', breaks: [] } : null, null];
      timetablesDb.saveTimetableRow(
        app.db,
        id,
        JSON.stringify({ slotMinutes: 15, room: String(100 + i), days }),
        String(100 + i),
        now,
        null,
      );
      ids.push(id);
    }
  })();
  const first = book(app, registrar, { iin: person, doctorId: ids[0]!, walkIn: true, channel: 'desk' });
  const requestId = (app.db.prepare(`SELECT request_id FROM appointment WHERE id = ?`).get(first.id) as { request_id: number }).request_id;
  const all = searchFreeSlots(app, { days: 28, limit: 100_000 }).slots.filter((s) => ids.includes(s.doctorId));
  const rnd = prng(4);
  app.db.transaction(() => {
    let n = 0;
    for (const s of all) {
      if (rnd() > 0.33) continue;
      const ms = Date.parse(s.start);
      appointmentsDb.insertAppointment(app.db, {
        number: `B-${n++}`,
        request_id: requestId,
        kind: 'appointment',
        channel: 'phone',
        person_iin: person,
        doctor_id: s.doctorId,
        slot_start: s.start,
        slot_ms: ms,
        slot_end_ms: ms + 900_000,
        slot_date: s.date,
        sync_booking: null,
        note: null,
        created_at: now.toISOString(),
        created_day: '2026-03-02',
        created_by: registrar.id,
      });
    }
  })();
  ctx.log(`${all.length} slots, searching`);

  const runs: number[] = [];
  let found = 0;
  for (let i = 0; i < (ctx.quick ? 10 : 40); i++) {
    const t = performance.now();
    found = searchFreeSlots(app, { specialty: 'therapist', days: 28, limit: 100_000 }).slots.length;
    runs.push(performance.now() - t);
  }
  // Baseline: ask the database about each slot separately.
  const one = app.db.prepare(`SELECT 1 FROM appointment WHERE doctor_id = ? AND slot_ms = ? AND status = 'booked'`);
  const t0 = performance.now();
  let free = 0;
  for (const s of all) if (!one.get(s.doctorId, Date.parse(s.start))) free++;
  const baseline = performance.now() - t0 + median(runs.slice(0, 3));

  ctx.log('talon PDF');
  const att = attach(app, registrar, {
    iin: person,
    documents: ['application', 'identity-document'],
    previousOrganization: '№2 қалалық емхана',
  });
  // As the running application does after start-up (desk/printout-warm-up.ts), then one real talon (its record).
  await warmPrintouts();
  await talonPdf(app, att.id);
  const pdfRuns: number[] = [];
  // CPU time per talon: on a shared machine the wall clock also counts other jobs' turns.
  const pdfCpu: number[] = [];
  // 500 talons: the p99 of 100 is the second-slowest print alone (7.5–10.3 ms between five runs).
  for (let i = 0; i < (ctx.quick ? 10 : TALONS_TIMED); i++) {
    const t = performance.now();
    const cpu0 = process.cpuUsage();
    await talonPdf(app, att.id);
    pdfRuns.push(performance.now() - t);
    const cpu = process.cpuUsage(cpu0);
    pdfCpu.push((cpu.user + cpu.system) / 1000);
  }
  app.db.close();
  const search = median(runs);
  return [
    figure('desk.free_slots.50x4w_ms', search, 'ms', 20, {
      baseline: { value: Math.round(baseline * 10) / 10, ratio: Math.round((search / baseline) * 100) / 100, what: 'one query per slot' },
      note: `${found} free of ${all.length} slots (${free} by the baseline), median of ${runs.length}`,
    }),
    figure('desk.talon_pdf_ms', median(pdfRuns), 'ms', 15, {
      note: `median of ${pdfRuns.length} after the start-up warm-up (${WARM_UP_RENDERS} sample talons); CPU ${median(pdfCpu).toFixed(1)} ms per talon`,
    }),
    figure('desk.talon_pdf.p99_ms', percentile(pdfRuns, 99), 'ms', 30, {
      note: `p99 of ${pdfRuns.length}; ×${(percentile(pdfRuns, 99) / median(pdfRuns)).toFixed(2)} the median (goal ≤ 2×)`,
    }),
  ];
}
