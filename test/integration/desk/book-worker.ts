/**
 * One front desk in its own process, for the concurrent-booking test: opens the shared database file, waits for the
 * agreed instant, books the slot as the registrar and prints the outcome as one JSON line.
 * Usage: node --import tsx book-worker.ts <dataDir> <clockIso> <startAtEpochMs> <iin> <doctorId> <slotStartIso>
 */
import { ApiError } from '../../../common/errors';
import { openApp } from '../../../electron/services/app';
import { book } from '../../../electron/services/desk/appointments';
import { silentLogger } from '../../../electron/services/log';
import { calendarOf, catalogOf } from '../../../electron/services/workflow/context';
import { findStaffByLogin } from '../../../db/staff';

const [dataDir, clockIso, startAt, iin, doctorId, slotStart] = process.argv.slice(2) as [string, string, string, string, string, string];
const { app } = openApp({ dataDir, log: silentLogger, clock: () => new Date(clockIso) });
const staff = findStaffByLogin(app.db, 'registrar')!;
// Warm up everything but the write (catalogue, calendar, prepared statements), then wait for the start signal.
catalogOf(app);
calendarOf(app);
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
try {
  const a = book(app, staff, { iin, doctorId: Number(doctorId), slotStart, channel: 'phone' });
  process.stdout.write(JSON.stringify({ ok: true, number: a.number, pid: process.pid }) + '\n');
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, code: e instanceof ApiError ? e.code : String(e), pid: process.pid }) + '\n');
}
app.db.close();
