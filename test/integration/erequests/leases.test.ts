/**
 * Issue 13, point 5: one desk per e-request. Three workstations enrolled in one organization (real SQLite files)
 * pull the same portal requests from the central server (real HTTP, PGlite and PostgreSQL) and work them at the
 * same time: each request is registered exactly once across the desks and the others show it as taken, then as
 * handled elsewhere. A desk that claimed a request and went offline loses it when its lease runs out (the shared
 * TestClock moves on); another desk registers it; the first desk's late registration is refused by the server and
 * cancelled at that desk, with its home-visit call.
 */
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EREQUEST_LEASE_MS } from '../../../common/erequests';
import { getEnrollment, listSyncIssues } from '../../../db/sync';
import { syncCredential } from '../../../electron/services/sealed-settings';
import { processInbox } from '../../../electron/services/erequests/intake';
import { syncNow } from '../../../electron/services/sync/index';
import { createGatewayCredential } from '../../../server/gateway';
import { createTestWorkstation, type Caller, type TestWorkstation } from '../../helpers/app';
import { workingDayClock } from '../../helpers/clock';
import { gatewayClient, homeVisitRequest, setUpErequestWorkstation } from '../../helpers/erequests';
import { createTestPki, type TestPki } from '../../helpers/pki';
import { startPostgres, type PgCluster } from '../../helpers/postgres';
import { startTestServer, type Backend, type TestServer } from '../../helpers/sync-server';

const clock = workingDayClock('10:00');
let pki: TestPki;
let cluster: PgCluster;
beforeAll(async () => {
  pki = createTestPki({ clock });
  cluster = await startPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.close();
  pki?.cleanup();
});

/** A loopback proxy in front of the server: `cut(url)` true makes that request fail as a dropped network would. */
async function startProxy(upstreamUrl: string) {
  const upstream = new URL(upstreamUrl);
  const state = { cut: (_url: string) => false };
  const proxy = http.createServer((req, res) => {
    if (state.cut(req.url ?? '')) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (ur) => {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
        },
      );
      up.on('error', () => req.socket.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`, state, close: () => proxy.close() };
}

interface Desk {
  ws: TestWorkstation;
  registrar: Caller;
  id: string;
}

describe.each<Backend>(['pglite', 'postgres'])('e-request leases on %s', (backend) => {
  let server: TestServer;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let desks: Desk[];
  let gw: ReturnType<typeof gatewayClient>;

  beforeAll(async () => {
    server = await startTestServer(backend, cluster, { clock: clock.read });
    proxy = await startProxy(server.url);
    desks = [];
    // Desk A reaches the server through the proxy, so the test can take its network away.
    for (const url of [proxy.url, server.url, server.url]) {
      const ws = createTestWorkstation({ population: 20, clock: clock.read });
      const { registrar } = await setUpErequestWorkstation(ws, pki, { ...server, url }, { registrarConfirms: true });
      desks.push({ ws, registrar, id: getEnrollment(ws.app.db)!.workstationId });
    }
    gw = gatewayClient(server.url, (await createGatewayCredential(server.db, 'test portal')).credential);
  }, 180_000);
  afterAll(async () => {
    desks?.forEach((d) => d.ws.close());
    proxy?.close();
    await server?.close();
  });

  const homeVisit = (complaint = 'Температура 38,5') => homeVisitRequest(pki, clock.now, { complaint });

  /** Registrations standing at each desk for a number (a lost one does not stand). */
  function standing(number: string): string[] {
    return desks.flatMap((d, i) => {
      const r = d.ws.app.db
        .prepare(`SELECT e.registered_as, l.state FROM erequest e LEFT JOIN erequest_lease l ON l.number = e.number WHERE e.number = ?`)
        .get(number) as { registered_as: string | null; state: string | null } | undefined;
      return r?.registered_as && r.state !== 'lost' ? [`desk${i}:${r.registered_as}`] : [];
    });
  }

  async function serverRow(number: string) {
    const r = await server.db.query<{ status: string; handled_by: string | null; registered_as: string | null; applied: number }>(
      `SELECT g.status, g.handled_by, g.registered_as,
              (SELECT count(*)::int FROM sync_op o WHERE o.kind = 'erequest.status' AND o.entity_id = g.number AND o.status = 'applied'
                  AND (o.payload::jsonb)->>'status' = 'registered') AS applied
         FROM gateway_request g WHERE g.number = $1`,
      [number],
    );
    return r.rows[0]!;
  }

  it('three desks pull the same e-requests and work them at once: each is registered exactly once, the others show it taken', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 8; i++) numbers.push((await gw.post(pki.signRequest(homeVisit(`Жөтел ${i}`), 'valid'))).body.number);
    await Promise.all(desks.map((d) => syncNow(d.ws.app)));

    const rounds = await Promise.all(desks.map((d) => processInbox(d.ws.app)));
    expect(rounds.reduce((n, r) => n + r.processed, 0)).toBe(numbers.length);
    expect(rounds.every((r) => r.processed + r.taken === numbers.length)).toBe(true);

    for (const number of numbers) {
      expect(standing(number)).toHaveLength(1);
      const row = await serverRow(number);
      expect(row).toMatchObject({ status: 'registered', applied: 1 });
      const holder = desks.findIndex((d) => d.id === row.handled_by);
      expect(holder).toBeGreaterThanOrEqual(0);
      // Right after the claims, every other desk already knows who has it (from the claim answer or a pulled lease).
      for (const [i, d] of desks.entries()) {
        if (i === holder) continue;
        const view = (await d.registrar.call('erequests.inbox', { open: false })).rows.find((r) => r.number === number)!;
        expect(view.status).toBe('new');
        expect(view.lease).toMatchObject({ holder: row.handled_by });
        expect(['taken', 'elsewhere']).toContain(view.lease!.state);
      }
    }

    // One more ordinary round everywhere: nothing is registered again, and the others show it handled elsewhere.
    for (const d of desks) await syncNow(d.ws.app);
    const again = await Promise.all(desks.map((d) => processInbox(d.ws.app)));
    expect(again.reduce((n, r) => n + r.processed, 0)).toBe(0);
    for (const number of numbers) {
      expect(standing(number)).toHaveLength(1);
      const { handled_by } = await serverRow(number);
      for (const d of desks) {
        const open = (await d.registrar.call('erequests.inbox', { open: true })).rows.find((r) => r.number === number);
        if (d.id === handled_by) expect(open).toMatchObject({ status: 'awaiting-registrar', lease: { state: 'mine' } });
        else expect(open).toBeUndefined();
      }
    }
    // Across the clinic: one portal registration per e-request, one call to the server each.
    const portal = desks.map(
      (d) => (d.ws.app.db.prepare(`SELECT count(*) AS n FROM service_request WHERE channel = 'portal'`).get() as { n: number }).n,
    );
    expect(portal.reduce((a, b) => a + b, 0)).toBe(numbers.length);
  }, 120_000);

  it('a desk that claimed and went offline loses the lease when it runs out; another desk registers; the late registration is refused and cancelled', async () => {
    const [a, b] = desks as [Desk, Desk, Desk];
    const number = (await gw.post(pki.signRequest(homeVisit('Бас ауруы, 39'), 'valid'))).body.number;
    await syncNow(a.ws.app);
    await syncNow(b.ws.app);

    // A claims it, then its network goes: it registers offline, its registrar confirms (a home-visit call is made),
    // and nothing of that reaches the server.
    proxy.state.cut = (url) => !url.startsWith('/v1/erequests/claim');
    const offline = await processInbox(a.ws.app);
    expect(offline.processed).toBe(1);
    proxy.state.cut = () => true;
    const mine = (await a.registrar.call('erequests.inbox', { open: true })).rows.find((r) => r.number === number)!;
    expect(mine).toMatchObject({ status: 'awaiting-registrar', lease: { state: 'mine' } });
    const confirmed = await a.registrar.call('erequests.resolve', { id: mine.id, decision: 'confirm' });
    expect(confirmed.journalRef).toMatch(/-V/);
    expect(await gw.status(number)).toMatchObject({ status: 'received' });

    // B sees it taken by A until A's lease ends, and does not register it.
    const whileTaken = await processInbox(b.ws.app);
    expect(whileTaken).toMatchObject({ processed: 0, taken: 1 });
    const taken = (await b.registrar.call('erequests.inbox', { open: true })).rows.find((r) => r.number === number)!;
    expect(taken).toMatchObject({ status: 'new', registeredAs: null, lease: { state: 'taken', holder: a.id } });
    expect(Date.parse(taken.lease!.until!)).toBeGreaterThan(clock.now.getTime());
    expect(standing(number)).toEqual([`desk0:${mine.registeredAs}`]);

    // A's lease runs out: the request is back in the pool and B registers it.
    clock.advance(EREQUEST_LEASE_MS + 60_000);
    const afterExpiry = await processInbox(b.ws.app);
    expect(afterExpiry).toMatchObject({ processed: 1, taken: 0 });
    const atB = (await b.registrar.call('erequests.inbox', { open: true })).rows.find((r) => r.number === number)!;
    expect(atB).toMatchObject({ status: 'awaiting-registrar', lease: { state: 'mine' } });
    expect(await serverRow(number)).toMatchObject({ status: 'registered', handled_by: b.id, registered_as: atB.registeredAs, applied: 1 });

    // A comes back: its registration and its answer are refused, its registration and call are cancelled.
    proxy.state.cut = () => false;
    await syncNow(a.ws.app);
    const back = await processInbox(a.ws.app);
    expect(back.lost).toBe(1);
    const issues = listSyncIssues(a.ws.app.db).filter((i) => i.entityId === number);
    expect(issues.map((i) => i.code)).toContain('erequest-taken');
    const lost = (await a.registrar.call('erequests.inbox', { open: false })).rows.find((r) => r.number === number)!;
    expect(lost.lease).toMatchObject({ state: 'lost', holder: b.id });
    expect(lost.lease!.reason).toContain(number);
    expect((await a.registrar.call('erequests.inbox', { open: true })).rows.find((r) => r.number === number)).toBeUndefined();
    const call = a.ws.app.db.prepare(`SELECT status, status_reason FROM home_visit WHERE number = ?`).get(confirmed.journalRef) as {
      status: string;
      status_reason: string;
    };
    expect(call.status).toBe('cancelled');
    expect(call.status_reason).toContain('lease ran out');
    expect(standing(number)).toEqual([`desk1:${atB.registeredAs}`]);

    // What the citizen sees is B's registration, never A's answer.
    const seen = await gw.status(number);
    expect(seen).toMatchObject({ status: 'registered', registeredAs: atB.registeredAs, result: null });
    expect(await serverRow(number)).toMatchObject({ applied: 1, handled_by: b.id });
    // A later round at A changes nothing more.
    expect(await processInbox(a.ws.app)).toMatchObject({ processed: 0, lost: 0 });
  }, 120_000);

  it('answers a claim per number and refuses a malformed one naming the field', async () => {
    const credential = syncCredential(desks[1]!.ws.app)!;
    const claim = (body: unknown) =>
      fetch(`${server.url}/v1/erequests/claim`, {
        method: 'POST',
        headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', 'x-tirkeu-protocol': '1' },
        body: JSON.stringify(body),
      });
    const bad = await claim({ numbers: 'E2026-1' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^numbers:/);
    const unknown = await claim({ numbers: ['E1999-00000001'] });
    expect(await unknown.json()).toMatchObject({ results: [{ number: 'E1999-00000001', status: 'unknown' }] });
    const noAuth = await fetch(`${server.url}/v1/erequests/claim`, {
      method: 'POST',
      body: '{}',
      headers: { 'x-tirkeu-protocol': '1', 'content-type': 'application/json' },
    });
    expect(noAuth.status).toBe(401);
  });
});
