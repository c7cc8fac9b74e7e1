/**
 * Issue 18, goal 4: the desk never waits for sync. A seeded workstation (the real app context and dispatcher, a
 * real SQLite file) pushes 100,000 queued operations and pulls 100,000 changes from a real central server running
 * in its own process (as in a clinic: the server's work must not be counted against the desk's event loop), while
 * a registrar's window calls the API on a steady 5 ms beat: person search, booking and cancelling, a dispensary
 * request with its register check. The same load runs first without sync: its p99 is the baseline, measured in the
 * same run.
 *
 * A call's latency runs from the moment the window sent it (its place on the 5 ms beat), not from the moment the
 * main process got round to it: a call queued behind a long transaction counts its whole wait.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { EnrollResponse } from '../common/sync-protocol';
import { getOrganization, saveOrganization } from '../db/organization';
import { saveEnrollment } from '../db/sync';
import { closeApp, openApp, type AppContext } from '../electron/services/app';
import { DEMO_ACCOUNTS, seedDemoData } from '../electron/services/demo-data';
import { silentLogger } from '../electron/services/log';
import { sealCredential } from '../electron/services/sealed-settings';
import { SyncEngine } from '../electron/services/sync/engine';
import { openServerDb } from '../server/db';
import { createEnrollmentCode, enroll } from '../server/enrollment';
import { publishReference } from '../server/push';
import { adoptRegionActs, caller, type Caller } from '../test/helpers/app';
import { workingDayClock } from '../test/helpers/clock';
import { spawnServer } from '../test/helpers/sync-server';
import { queue, round } from './enrolled-desk';
import { figure, median, percentile, type BenchContext, type BenchFigure } from './types';

const PASSWORD = 'bench-pass-1';
const BEAT_MS = 5;
const BASELINE_MS = 10_000;

interface Sample {
  method: string;
  ms: number;
  /** What sync was doing when the call was sent. */
  phase: 'none' | 'push' | 'pull' | 'other';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The server's database, built here and then served by its own process (PGlite allows one process at a time). */
async function prepareServer(dataDir: string, orgBin: string, rows: number): Promise<EnrollResponse> {
  const db = await openServerDb({ dataDir });
  try {
    const { code } = await createEnrollmentCode(db, { orgBin });
    const e = (await enroll(db, code, 'bench-stall')) as EnrollResponse;
    await publishReference(
      db,
      orgBin,
      Array.from({ length: rows }, (_, i) => ({
        kind: i % 2 ? 'staff' : 'timetable',
        key: `r${i}`,
        payload: { i, name: 'Асқар Нұрланұлы', hours: ['08:00', '17:00'] },
      })),
    );
    return e;
  } finally {
    await db.close();
  }
}

/** An Atyrau desk (its dispensaries check the registers), seeded and enrolled in the bench's server. */
async function deskOf(dir: string, url: string, e: EnrollResponse, orgBin: string): Promise<AppContext> {
  const clock = workingDayClock('10:00', 'Asia/Atyrau');
  const { app } = openApp({ dataDir: dir, log: silentLogger, clock: clock.read });
  seedDemoData(app, { population: 2_000, passwords: Object.fromEntries(DEMO_ACCOUNTS.map((a) => [a.login, PASSWORD])) });
  saveOrganization(app.db, {
    ...getOrganization(app.db)!,
    bin: orgBin,
    region: 'atyrau',
    timezone: 'Asia/Atyrau',
    workstationPrefix: e.workstation_code,
  });
  adoptRegionActs(app);
  saveEnrollment(
    app.db,
    { serverUrl: url, workstationId: e.workstation_id, orgBin, enrolledAt: app.clock().toISOString() },
    sealCredential(app, e.credential),
  );
  return app;
}

/** The registrar's window: calls on a 5 ms beat in a fixed rotation, each timed from its place on the beat. */
class Window {
  readonly samples: Sample[] = [];
  private booked: number | null = null;
  private k = 0;

  constructor(
    private readonly registrar: Caller,
    private readonly person: { iin: string; query: string },
    private readonly slot: { doctorId: number; start: string },
    private readonly phase: () => Sample['phase'],
  ) {}

  /**
   * Runs until `until` settles. One call at a time, as a registrar's window sends them: the next goes on the next
   * beat after the previous answer. Its send time is taken from the beat, so a call that waited behind the main
   * process's work counts its wait even though this loop's own timer waited too.
   */
  async run(until: Promise<unknown>): Promise<void> {
    let stopped = false;
    const stop = () => (stopped = true);
    void until.then(stop, stop);
    const t0 = performance.now();
    let beat = 0;
    let answeredAt = t0;
    while (!stopped) {
      beat = Math.max(beat + 1, Math.ceil((answeredAt - t0) / BEAT_MS));
      const sendAt = t0 + beat * BEAT_MS;
      const wait = sendAt - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await this.act(sendAt);
      answeredAt = performance.now();
    }
  }

  private async timed<T>(method: string, sentAt: number, call: () => Promise<T>): Promise<T> {
    const phase = this.phase();
    const value = await call();
    this.samples.push({ method, ms: performance.now() - sentAt, phase });
    return value;
  }

  private async act(sentAt: number): Promise<void> {
    const k = this.k++;
    const r = this.registrar;
    switch (k % 4) {
      case 0:
      case 2:
        await this.timed('people.search', sentAt, () => r.call('people.search', { query: this.person.query, limit: 20 }));
        return;
      case 1:
        await this.bookOrCancel(sentAt);
        return;
      default: {
        const request = await this.timed('requests.start', sentAt, () =>
          r.call('requests.start', { serviceId: 'psychoneurological-certificate', channel: 'desk', iin: this.person.iin }),
        );
        await this.timed('registers.check', performance.now(), () => r.call('registers.check', { requestId: request.id }));
      }
    }
  }

  /** The same slot, booked and then cancelled, in turn. */
  private async bookOrCancel(sentAt: number): Promise<void> {
    const r = this.registrar;
    if (this.booked === null) {
      const a = await this.timed('appointments.book', sentAt, () =>
        r.call('appointments.book', { iin: this.person.iin, doctorId: this.slot.doctorId, slotStart: this.slot.start, channel: 'desk' }),
      );
      this.booked = a.id;
    } else {
      const id = this.booked;
      this.booked = null;
      await this.timed('appointments.cancel', sentAt, () => r.call('appointments.cancel', { id, reason: 'науқас келмейді' }));
    }
  }
}

function summary(samples: Sample[]): { median: number; p99: number; max: number; n: number } {
  const ms = samples.map((s) => s.ms);
  return { median: median(ms), p99: percentile(ms, 99), max: Math.max(...ms), n: ms.length };
}

const fmt = (s: ReturnType<typeof summary>) =>
  `median ${s.median.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(0)} ms (${s.n} calls)`;

export default async function syncStall(ctx: BenchContext): Promise<BenchFigure[]> {
  const scale = ctx.quick ? 10 : 1;
  const N = 100_000 / scale;
  const probe = openApp({ dataDir: path.join(ctx.dir, 'probe'), log: silentLogger });
  seedDemoData(probe.app, { population: 1, passwords: Object.fromEntries(DEMO_ACCOUNTS.map((a) => [a.login, PASSWORD])) });
  const orgBin = getOrganization(probe.app.db)!.bin;
  closeApp(probe.app);

  ctx.log(`the server: ${N} changes to pull`);
  const serverDir = path.join(ctx.dir, 'server');
  fs.mkdirSync(serverDir);
  const port = await freePort();
  // server/main.ts keeps PGlite in <data>/pglite.
  const e = await prepareServer(path.join(serverDir, 'pglite'), orgBin, N);
  const server = await spawnServer({ dataDir: serverDir, port });
  try {
    const app = await deskOf(path.join(ctx.dir, 'desk'), server.url, e, orgBin);
    const registrar = caller(app);
    await registrar.call('session.login', { login: 'registrar', password: PASSWORD });
    const anyone = app.db.prepare(`SELECT iin, surname FROM person ORDER BY iin LIMIT 1`).get() as { iin: string; surname: string };
    const free = await registrar.call('appointments.freeSlots', { specialty: 'therapist', days: 7, limit: 1 });
    const slot = free.slots[0];
    if (!slot) throw new Error('the bench desk has no free therapist slot');
    const engine = new SyncEngine(app, { watchNetwork: false });
    const window = new Window(
      registrar,
      { iin: anyone.iin, query: anyone.surname.slice(0, 3) },
      { doctorId: slot.doctorId, start: slot.start },
      () => (engine.progress ? engine.progress.phase : engine.busy ? 'other' : 'none'),
    );

    ctx.log(`no sync: the window's calls for ${BASELINE_MS / 1000} s`);
    await window.run(new Promise((r) => setTimeout(r, BASELINE_MS)));
    const quiet = summary(window.samples);
    ctx.log(`no sync: ${fmt(quiet)}`);
    for (const method of [...new Set(window.samples.map((s) => s.method))])
      ctx.log(`  ${method}: ${fmt(summary(window.samples.filter((s) => s.method === method)))}`);

    queue(app, N, 'stall');
    window.samples.length = 0;
    ctx.log(`sync: push ${N} operations, pull ${N} changes, with the window's calls`);
    const t0 = performance.now();
    const done = round(engine);
    await window.run(done);
    await done;
    const seconds = (performance.now() - t0) / 1000;
    const busy = summary(window.samples);
    ctx.log(`sync (${seconds.toFixed(1)} s): ${fmt(busy)}`);
    for (const phase of ['push', 'pull', 'other'] as const) {
      const s = window.samples.filter((x) => x.phase === phase);
      if (s.length) ctx.log(`  while ${phase}: ${fmt(summary(s))}`);
    }
    for (const method of [...new Set(window.samples.map((s) => s.method))])
      ctx.log(`  ${method}: ${fmt(summary(window.samples.filter((s) => s.method === method)))}`);
    closeApp(app);
    return [
      figure('sync.desk-p99-during-sync', busy.p99, 'ms', 50, {
        baseline: { value: quiet.p99, ratio: busy.p99 / quiet.p99, what: 'the same calls without sync (p99)' },
        note: `window calls every ${BEAT_MS} ms while ${N} operations are pushed and ${N} changes pulled (${seconds.toFixed(1)} s); median ${busy.median.toFixed(1)} ms vs ${quiet.median.toFixed(1)} ms without sync${scale > 1 ? '; quick: 10× smaller' : ''}`,
      }),
    ];
  } finally {
    await server.kill();
  }
}
