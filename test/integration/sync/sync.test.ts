/**
 * Workstations and the central server together, through the API methods a person uses: enrollment, push and
 * pull, the sync issues list, bookings confirmed or lost, the version handshake, clock skew and the background
 * loop. Each case runs on PGlite and on a real PostgreSQL cluster.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { SYSTEM_ACTOR } from '../../../db/audit';
import { enqueueOutbox, listOutbox } from '../../../db/outbox';
import { createBooking, getReference, listBookings } from '../../../db/sync';
import { syncCredential } from '../../../electron/services/sealed-settings';
import { SyncEngine } from '../../../electron/services/sync/engine';
import { publishReference } from '../../../server/push';
import { createTestWorkstation, type TestWorkstation } from '../../helpers/app';
import { startPostgres, type PgCluster } from '../../helpers/postgres';
import { enrolledWorkstation, seededRandom, startTestServer, type Backend, type TestServer } from '../../helpers/sync-server';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.close();
});

const open: TestWorkstation[] = [];
afterAll(() => open.forEach((w) => w.close()));

async function serverOps(s: TestServer, workstationId: string): Promise<string[]> {
  const r = await s.db.query<{ op_id: string }>(`SELECT op_id FROM sync_op WHERE workstation_id = $1 ORDER BY op_id`, [workstationId]);
  return r.rows.map((x) => x.op_id);
}

describe.each<Backend>(['pglite', 'postgres'])('sync on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(backend, cluster);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  const workstation = async () => {
    const ws = await enrolledWorkstation(s.url, s.code);
    open.push(ws);
    return ws;
  };

  it('enrolls (administrator only), pushes every queued operation once and pulls reference data', async () => {
    const ws = createTestWorkstation({ population: 5 });
    open.push(ws);
    const registrar = await ws.as('registrar');
    expect((await registrar.raw('sync.enroll', { serverUrl: s.url, code: 'AAAA-BBBB-CCCC-DDDD' })).ok).toBe(false);
    const admin = await ws.as('admin');
    expect(await admin.call('sync.status', {})).toMatchObject({ enrolled: false });
    const bad = await admin.raw('sync.enroll', { serverUrl: s.url, code: 'AAAA-BBBB-CCCC-DDDD' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-credentials' } });
    const insecure = await admin.raw('sync.enroll', { serverUrl: 'http://example.org', code: 'AAAA-BBBB-CCCC-DDDD' });
    expect(insecure).toMatchObject({ ok: false, error: { code: 'validation' } });

    const bin = (await admin.call('org.get', {})).bin;
    const enrolled = await admin.call('sync.enroll', { serverUrl: s.url, code: await s.code(bin) });
    expect(enrolled.orgBin).toBe(bin);
    await publishReference(s.db, bin, [
      { kind: 'staff', key: 'dr-1', payload: { fullName: 'Дәрігер Бір', role: 'physician', specialty: 'therapist' } },
      { kind: 'ca-certificate', key: 'root', payload: { pem: 'x' } },
    ]);

    await registrar.call('people.createManual', { iin: makeIin('1991-01-02', 'M', 77), surname: 'Сапаров', givenName: 'Нұрлан' });
    for (let i = 0; i < 30; i++)
      enqueueOutbox(ws.app.db, { kind: 'note.create', entity: 'note', entityId: i, payload: { i, text: 'сәлем' } }, ws.app.clock());
    const queued = listOutbox(ws.app.db).length;
    expect(queued).toBeGreaterThan(0);
    expect((await registrar.call('sync.status', {})).queued).toBe(queued);
    const round = await admin.call('sync.now', {});
    // Pulled: the two published rows, this desk's own entry in the clinic's workstation list, and its own shared
    // rows (the person entered by hand, the organization's profile it told the server) that come back in order.
    expect(round).toMatchObject({ ok: true, pulled: 5, pushed: { applied: queued, rejected: 0 } });
    const local = listOutbox(ws.app.db)
      .map((o) => o.opId)
      .sort();
    expect(await serverOps(s, enrolled.workstationId)).toEqual(local);
    expect(getReference(ws.app.db, 'ca-certificate', 'root')).toEqual({ pem: 'x' });
    // Staff is shared state: it lands in the staff table (with no usable password: an administrator resets it here).
    expect(ws.app.db.prepare(`SELECT full_name, role, specialty FROM staff WHERE login = 'dr-1'`).get()).toEqual({
      full_name: 'Дәрігер Бір',
      role: 'physician',
      specialty: 'therapist',
    });
    expect(await admin.call('org.workstations', {})).toEqual([
      expect.objectContaining({ id: enrolled.workstationId, code: enrolled.workstationCode, thisDesk: true }),
    ]);
    expect(enrolled.workstationCode).toMatch(/^D\d+$/);

    const status = await registrar.call('sync.status', {});
    expect(status).toMatchObject({ enrolled: true, online: true, queued: 0, issues: 0, clockWarning: false, updateRequired: null });
    expect(status.lastSuccessAt).toBeTruthy();
    // The secret never leaves the settings table: not in the status, not in the log.
    const secret = syncCredential(ws.app)!.split('.')[1]!;
    expect(JSON.stringify(status)).not.toContain(secret);
    const logFile = path.join(ws.dir, 'tirkeu.log');
    if (fs.existsSync(logFile)) expect(fs.readFileSync(logFile, 'utf8')).not.toContain(secret);

    // A second round sends nothing again.
    expect(await admin.call('sync.now', {})).toMatchObject({ ok: true, pushed: { applied: 0, duplicate: 0 } });
  });

  it('a poisoned operation goes to sync issues; the others go through', async () => {
    const ws = await workstation();
    const at = ws.app.clock();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++)
      ids.push(enqueueOutbox(ws.app.db, { kind: 'note.create', entity: 'note', entityId: i, payload: { i } }, at));
    const poison = enqueueOutbox(ws.app.db, { kind: 'booking.create', entity: 'booking', entityId: 'p', payload: { doctor: 'dr-x' } }, at);
    for (let i = 20; i < 40; i++)
      ids.push(enqueueOutbox(ws.app.db, { kind: 'note.create', entity: 'note', entityId: i, payload: { i } }, at));
    const admin = await ws.as('admin');
    const round = await admin.call('sync.now', {});
    expect(round.ok).toBe(true);
    expect(round.pushed.rejected).toBe(1);
    const byId = new Map(listOutbox(ws.app.db).map((o) => [o.opId, o.status]));
    expect(ids.every((id) => byId.get(id) === 'applied')).toBe(true);
    expect(byId.get(poison)).toBe('rejected');
    const issues = await admin.call('sync.issues', {});
    expect(issues).toEqual([expect.objectContaining({ opId: poison, status: 'rejected', code: 'invalid-payload' })]);
    expect((await admin.call('sync.status', {})).issues).toBe(1);
    expect((await (await ws.as('cashier')).raw('sync.issues', {})).ok).toBe(false);
  });

  it('five workstations book the same slot offline: exactly one is confirmed, the others see a conflict with the phone', async () => {
    const stations = await Promise.all(Array.from({ length: 5 }, () => workstation()));
    const admins = new Map(await Promise.all(stations.map(async (w) => [w, await w.as('admin')] as const)));
    const registrars = new Map(await Promise.all(stations.map(async (w) => [w, await w.as('registrar')] as const)));
    for (const w of stations) await admins.get(w)!.call('sync.now', {});
    let trial = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (contenders, seed) => {
        const rnd = seededRandom(seed);
        trial++;
        const doctor = `dr-${backend}-${trial}`;
        const slot = new Date(Date.UTC(2025, 5, 1, 8, 0) + trial * 20 * 60_000).toISOString();
        const order = [...stations].sort(() => rnd() - 0.5).slice(0, contenders);
        const mine = order.map((w, i) =>
          createBooking(w.app.db, SYSTEM_ACTOR, w.app.clock(), {
            doctor,
            slotStart: slot,
            patientName: `Patient ${i}`,
            phone: `+7701${String(seed % 1e7).padStart(7, '0')}${i}`,
          }),
        );
        // Some other, uncontested bookings in the same batches.
        for (const w of stations)
          if (rnd() < 0.5)
            createBooking(w.app.db, SYSTEM_ACTOR, w.app.clock(), {
              doctor: `${doctor}-free-${Math.floor(rnd() * 1e9)}`,
              slotStart: slot,
              phone: '+77010000000',
            });
        // Back online, in a random order with random delays, concurrently.
        await Promise.all(
          stations.map(async (w) => {
            await new Promise((r) => setTimeout(r, Math.floor(rnd() * 15)));
            await admins.get(w)!.call('sync.now', {});
          }),
        );
        const statuses = mine.map((b, i) => listBookings(order[i]!.app.db).find((x) => x.bookingId === b.bookingId)!.status);
        expect(statuses.filter((x) => x === 'confirmed')).toHaveLength(1);
        expect(statuses.filter((x) => x === 'conflict')).toHaveLength(contenders - 1);
        const winners = await s.db.query(`SELECT 1 FROM booking WHERE doctor = $1`, [doctor]);
        expect(winners.rowCount).toBe(1);
        for (let i = 0; i < contenders; i++) {
          if (statuses[i] !== 'conflict') continue;
          const issues = await registrars.get(order[i]!)!.call('sync.issues', {});
          const issue = issues.find((x) => x.opId === mine[i]!.opId);
          expect(issue).toMatchObject({ status: 'conflict', code: 'slot-taken', details: { phone: mine[i]!.phone, slot_start: slot } });
        }
      }),
      { numRuns: 12, seed: backend === 'pglite' ? 7 : 8 },
    );
  }, 120_000);

  it('an older workstation is told to update and keeps its operations', async () => {
    const ws = await workstation();
    const at = ws.app.clock();
    for (let i = 0; i < 5; i++) enqueueOutbox(ws.app.db, { kind: 'note.create', entity: 'note', entityId: i, payload: { i } }, at);
    const before = listOutbox(ws.app.db).filter((o) => o.status === 'pending').length;
    const old = new SyncEngine(ws.app, { protocol: 0 });
    const r = await old.syncOnce();
    expect(r).toMatchObject({ ok: false, blocked: 'update-required' });
    const status = old.status();
    expect(status.updateRequired).toMatch(/Update Tirkeu/);
    expect(status.queued).toBe(before);
    expect(listOutbox(ws.app.db).filter((o) => o.status === 'pending' || o.status === 'claimed')).toHaveLength(before);
    // After the update the same operations go through, once.
    const updated = await (await ws.as('admin')).call('sync.now', {});
    expect(updated).toMatchObject({ ok: true, pushed: { applied: before } });
    expect((await (await ws.as('admin')).call('sync.status', {})).updateRequired).toBeNull();
  });

  it('warns when the workstation clock is off by more than five minutes', async () => {
    const ws = createTestWorkstation({ population: 5, clock: () => new Date(Date.now() - 7 * 60_000) });
    open.push(ws);
    const admin = await ws.as('admin');
    await admin.call('sync.enroll', { serverUrl: s.url, code: await s.code((await admin.call('org.get', {})).bin) });
    await admin.call('sync.now', {});
    const status = await admin.call('sync.status', {});
    expect(status.clockWarning).toBe(true);
    expect(status.clockSkewMs!).toBeGreaterThan(6 * 60_000);
  });
});

describe('the background loop', () => {
  it('backs off with jitter while offline and syncs at once when woken', async () => {
    const ws = createTestWorkstation({ population: 5 });
    open.push(ws);
    const rnd = seededRandom(42);
    const engine = new SyncEngine(ws.app, { backoffBaseMs: 1000, backoffMaxMs: 60_000, random: rnd });
    const steps = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => engine.backoff(n));
    steps.forEach((d, i) => {
      const full = Math.min(60_000, 1000 * 2 ** i);
      expect(d).toBeGreaterThanOrEqual(full / 2);
      expect(d).toBeLessThanOrEqual(full);
    });
    expect(steps.at(-1)).toBeGreaterThanOrEqual(30_000);

    // Enrolled with a server that is down: the loop fails and waits; when the server is back, wake() syncs now.
    const s = await startTestServer('pglite');
    const admin = await ws.as('admin');
    await admin.call('sync.enroll', { serverUrl: s.url, code: await s.code((await admin.call('org.get', {})).bin) });
    for (let i = 0; i < 10; i++)
      enqueueOutbox(ws.app.db, { kind: 'note.create', entity: 'note', entityId: i, payload: { i } }, ws.app.clock());
    const port = new URL(s.url).port;
    await s.app.close();
    const loop = new SyncEngine(ws.app, { backoffBaseMs: 60_000, intervalMs: 60_000, watchNetwork: false });
    loop.start();
    const t0 = Date.now();
    while (loop.online !== false && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 20));
    expect(loop.online).toBe(false);
    expect(loop.status().queued).toBeGreaterThan(0);
    const { buildServer } = await import('../../../server/app');
    const again = buildServer({ db: s.db });
    await again.listen({ host: '127.0.0.1', port: Number(port) });
    const t1 = Date.now();
    loop.wake();
    while (loop.status().queued > 0 && Date.now() - t1 < 10_000) await new Promise((r) => setTimeout(r, 20));
    expect(loop.status().queued).toBe(0);
    expect(Date.now() - t1).toBeLessThan(5_000); // not the 60 s backoff
    await loop.stop();
    await again.close();
    await s.db.close();
  }, 60_000);
});
