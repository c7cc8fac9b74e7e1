/**
 * The central server on its own: enrollment and credentials, push semantics (applied, duplicate, rejected,
 * conflict, replayed batches, caps), pull (commit order, paging, byte caps, organization scope), the version
 * handshake and TLS. Each case runs on PGlite and on a real PostgreSQL cluster.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_PROTOCOL, HEADER_SCHEMA, LIMITS, SYNC_PROTOCOL, type PullResponse, type PushResponse } from '../../../common/sync-protocol';
import { startServer } from '../../../server/main';
import { appendChanges, publishReference } from '../../../server/push';
import { tempDir } from '../../helpers/app';
import { startPostgres, type PgCluster } from '../../helpers/postgres';
import { startTestServer, type Backend, type TestServer } from '../../helpers/sync-server';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.close();
});

const ORG_A = '120140001011';
const ORG_B = '990140002222';

async function enrollRaw(s: TestServer, org: string): Promise<string> {
  const code = await s.code(org);
  const r = await fetch(`${s.url}/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  expect(r.status).toBe(200);
  return ((await r.json()) as { credential: string }).credential;
}

const headers = (credential: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${credential}`,
  [HEADER_PROTOCOL]: String(SYNC_PROTOCOL),
  [HEADER_SCHEMA]: '3',
  'content-type': 'application/json',
  ...extra,
});

async function pushRaw(s: TestServer, credential: string, body: unknown) {
  const r = await fetch(`${s.url}/v1/sync/push`, { method: 'POST', headers: headers(credential), body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as PushResponse & { error?: string; message?: string } };
}

async function pullRaw(s: TestServer, credential: string, cursor = '', limit?: number) {
  const r = await fetch(`${s.url}/v1/sync/pull?cursor=${encodeURIComponent(cursor)}${limit ? `&limit=${limit}` : ''}`, {
    headers: headers(credential),
  });
  return { status: r.status, body: (await r.json()) as PullResponse };
}

let opSeq = 0;
const op = (kind = 'person.manual', payload: unknown = { n: opSeq }) => ({
  op_id: `op-${process.pid}-${++opSeq}-${Math.random().toString(36).slice(2, 8)}`,
  kind,
  entity: kind.split('.')[0]!,
  entity_id: String(opSeq),
  payload,
  created_at: '2025-03-01T10:00:00.000Z',
});
const booking = (doctor: string, slot: string) => {
  const id = `bk-${++opSeq}`;
  return op('booking.create', { booking_id: id, doctor, slot_start: slot, patient_name: 'X', phone: '+77010000000' });
};

describe.each<Backend>(['pglite', 'postgres'])('central server on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(backend, cluster);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('enrolls with a one-time code, authenticates every request, and revokes', async () => {
    const code = await s.code(ORG_A);
    const enroll = (c: string) =>
      fetch(`${s.url}/v1/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: c }) });
    const first = await enroll(code.toLowerCase());
    expect(first.status).toBe(200);
    const { credential, workstation_id, org_bin } = (await first.json()) as { credential: string; workstation_id: string; org_bin: string };
    expect(org_bin).toBe(ORG_A);
    expect(credential.startsWith(`${workstation_id}.`)).toBe(true);
    expect((await enroll(code)).status).toBe(403); // used once
    expect((await enroll('AAAA-BBBB-CCCC-DDDD')).status).toBe(403);

    // The server keeps only a hash of the secret.
    const stored = await s.db.query<{ secret_hash: string }>(`SELECT secret_hash FROM workstation WHERE id = $1`, [workstation_id]);
    expect(stored.rows[0]!.secret_hash).not.toContain(credential.split('.')[1]!);

    expect((await pullRaw(s, credential)).status).toBe(200);
    const noAuth = await fetch(`${s.url}/v1/sync/pull`, { headers: { [HEADER_PROTOCOL]: String(SYNC_PROTOCOL) } });
    expect(noAuth.status).toBe(401);
    expect((await pullRaw(s, `${workstation_id}.wrong-secret`)).status).toBe(401);

    await s.db.query(`UPDATE workstation SET revoked_at = now() WHERE id = $1`, [workstation_id]);
    expect((await pullRaw(s, credential)).status).toBe(401);
  });

  it('applies a batch in one transaction with per-operation results; a replay returns the stored response', async () => {
    const cred = await enrollRaw(s, ORG_A);
    const a = op();
    const slot = `2025-04-0${backend === 'pglite' ? 1 : 2}T09:00:00Z`;
    const win = booking('dr-1', slot);
    const lose = booking('dr-1', slot);
    const bad = { ...op(), kind: 'NOT A KIND' };
    const badBooking = booking('', '2025-04-01T09:30:00Z');
    const batch = { batch_id: `batch-${opSeq}-aaaaaaaa`, ops: [a, win, lose, bad, badBooking, a] };
    const t0 = Date.now();
    const r1 = await pushRaw(s, cred, batch);
    expect(r1.status).toBe(200);
    expect(r1.body.replayed).toBe(false);
    expect(Math.abs(Date.parse(r1.body.server_time) - t0)).toBeLessThan(10_000);
    expect(r1.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'conflict', 'rejected', 'rejected', 'duplicate']);
    const conflict = r1.body.results[2] as { server: { booking_id: string } };
    expect(conflict.server.booking_id).toBe((win.payload as { booking_id: string }).booking_id);
    expect(r1.body.results[4]).toMatchObject({ code: 'invalid-payload' });

    const r2 = await pushRaw(s, cred, batch);
    expect(r2.body.replayed).toBe(true);
    expect(r2.body.results).toEqual(r1.body.results);

    // The same operations in a new batch are duplicates, carrying the first answer.
    const r3 = await pushRaw(s, cred, { batch_id: `batch-${opSeq}-bbbbbbbb`, ops: [a, lose] });
    expect(r3.body.results[0]).toEqual({ op_id: a.op_id, status: 'duplicate' });
    expect(r3.body.results[1]).toMatchObject({ op_id: lose.op_id, status: 'duplicate', original: { status: 'conflict' } });

    const rows = await s.db.query<{ n: string }>(`SELECT count(*)::int AS n FROM sync_op WHERE op_id IN ($1, $2, $3)`, [
      a.op_id,
      win.op_id,
      lose.op_id,
    ]);
    expect(Number(rows.rows[0]!.n)).toBe(3);
    const received = await s.db.query<{ received_at: unknown }>(`SELECT received_at FROM sync_op WHERE op_id = $1`, [a.op_id]);
    expect(received.rows[0]!.received_at).toBeTruthy();
  });

  it('rejects alone an operation the database refuses, and applies the rest', async () => {
    const cred = await enrollRaw(s, ORG_A);
    const good = [op(), op(), op()];
    // JavaScript accepts 30 February (it rolls over); PostgreSQL refuses it: the batch is retried op by op.
    const poisoned = booking('dr-2', '2025-02-30T10:00:00Z');
    const r = await pushRaw(s, cred, { batch_id: `batch-${opSeq}-cccccccc`, ops: [good[0], poisoned, good[1], good[2]] });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => x.status)).toEqual(['applied', 'rejected', 'applied', 'applied']);
    expect(r.body.results[1]).toMatchObject({ code: 'server-refused' });
  });

  it('caps batches by rows and bytes', async () => {
    const cred = await enrollRaw(s, ORG_A);
    const tooMany = { batch_id: `batch-${opSeq}-dddddddd`, ops: Array.from({ length: LIMITS.pushMaxOps + 1 }, () => op()) };
    expect((await pushRaw(s, cred, tooMany)).status).toBe(413);
    const big = op('person.manual', { blob: 'x'.repeat(LIMITS.opMaxBytes + 10) });
    const r = await pushRaw(s, cred, { batch_id: `batch-${opSeq}-eeeeeeee`, ops: [big, op()] });
    expect(r.body.results.map((x) => x.status)).toEqual(['rejected', 'applied']);
    const huge = await fetch(`${s.url}/v1/sync/push`, {
      method: 'POST',
      headers: headers(cred),
      body: JSON.stringify({
        batch_id: 'batch-huge-0000',
        ops: [op('person.manual', { blob: 'y'.repeat(LIMITS.pushMaxBytes + 100_000) })],
      }),
    });
    expect(huge.status).toBe(413);
  });

  it('pulls its organization’s change log in pages with row and byte caps, without its own bookings', async () => {
    const credA = await enrollRaw(s, ORG_B);
    const credA2 = await enrollRaw(s, ORG_B);
    const other = await enrollRaw(s, '770140003333');
    let cursor = '';
    for (;;) {
      const p = await pullRaw(s, credA, cursor);
      cursor = p.body.cursor;
      if (!p.body.more) break;
    }
    await publishReference(
      s.db,
      ORG_B,
      Array.from({ length: 25 }, (_, i) => ({ kind: 'staff', key: `s${i}`, payload: { i } })),
    );
    await publishReference(s.db, '770140003333', [{ kind: 'staff', key: 'elsewhere', payload: {} }]);
    await publishReference(
      s.db,
      ORG_B,
      Array.from({ length: 6 }, (_, i) => ({ kind: 'regulation-file', key: `big${i}`, payload: { blob: 'z'.repeat(1024 * 1024) } })),
    );
    const mine = booking('dr-9', '2025-05-01T09:00:00Z');
    const theirs = booking('dr-9', '2025-05-01T09:20:00Z');
    await pushRaw(s, credA, { batch_id: `batch-${opSeq}-ffffffff`, ops: [mine] });
    await pushRaw(s, credA2, { batch_id: `batch-${opSeq}-gggggggg`, ops: [theirs] });

    const got: PullResponse['rows'] = [];
    let pages = 0;
    for (;;) {
      const p = await pullRaw(s, credA, cursor, 10);
      expect(p.status).toBe(200);
      expect(p.body.rows.length).toBeLessThanOrEqual(10);
      const bytes = p.body.rows.reduce((n, r) => n + JSON.stringify(r.payload).length, 0);
      if (p.body.rows.length > 1) expect(bytes).toBeLessThanOrEqual(LIMITS.pullMaxBytes);
      got.push(...p.body.rows);
      cursor = p.body.cursor;
      pages++;
      if (!p.body.more) break;
    }
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(got.filter((r) => r.kind === 'staff').map((r) => r.key)).toEqual(Array.from({ length: 25 }, (_, i) => `s${i}`));
    expect(got.filter((r) => r.kind === 'regulation-file')).toHaveLength(6);
    const bookings = got.filter((r) => r.kind === 'booking');
    expect(bookings.map((r) => r.key)).toEqual([(theirs.payload as { booking_id: string }).booking_id]);
    expect(got.some((r) => r.key === 'elsewhere')).toBe(false);
    const again = await pullRaw(s, credA, cursor);
    expect(again.body.rows).toEqual([]);
    expect(again.body.more).toBe(false);
    expect((await pullRaw(s, other, 'not-a-cursor')).status).toBe(400);
  });

  it('tells an older workstation to update (426) without touching its batch', async () => {
    const cred = await enrollRaw(s, ORG_A);
    const old = await fetch(`${s.url}/v1/sync/push`, {
      method: 'POST',
      headers: headers(cred, { [HEADER_PROTOCOL]: String(SYNC_PROTOCOL - 1) }),
      body: JSON.stringify({ batch_id: 'batch-old-00000', ops: [op()] }),
    });
    expect(old.status).toBe(426);
    const body = (await old.json()) as { error: string; message: string };
    expect(body.error).toBe('update-required');
    expect(body.message).toMatch(/Update Tirkeu/);
    const seen = await s.db.query(`SELECT 1 FROM sync_batch WHERE batch_id = 'batch-old-00000'`);
    expect(seen.rowCount).toBe(0);
  });

  it('orders the change log by commit: a row committed late is never skipped', async () => {
    const cred = await enrollRaw(s, ORG_B);
    let cursor = '';
    for (;;) {
      const p = await pullRaw(s, cred, cursor);
      cursor = p.body.cursor;
      if (!p.body.more) break;
    }
    if (backend === 'pglite') {
      // One connection: transactions cannot interleave; commit order is trivially sequence order.
      await publishReference(s.db, ORG_B, [{ kind: 'district', key: 'late', payload: {} }]);
      const p = await pullRaw(s, cred, cursor);
      expect(p.body.rows.map((r) => r.key)).toEqual(['late']);
      return;
    }
    let releaseA!: () => void;
    const holdA = new Promise<void>((r) => (releaseA = r));
    let aWrote!: () => void;
    const aWroteP = new Promise<void>((r) => (aWrote = r));
    const txA = s.db.transaction(async (tx) => {
      await appendChanges(tx, ORG_B, null, [{ kind: 'district', key: 'first-started', payload: '{}' }]);
      aWrote();
      await holdA;
    });
    await aWroteP;
    const txB = s.db.transaction(async (tx) => {
      await appendChanges(tx, ORG_B, null, [{ kind: 'district', key: 'second', payload: '{}' }]);
    });
    await new Promise((r) => setTimeout(r, 200));
    const during = await pullRaw(s, cred, cursor);
    expect(during.body.rows).toEqual([]); // neither is visible: B waits behind A's counter lock
    releaseA();
    await Promise.all([txA, txB]);
    const after = await pullRaw(s, cred, during.body.cursor);
    expect(after.body.rows.map((r) => r.key)).toEqual(['first-started', 'second']);
  });
});

describe('server configuration', () => {
  it('refuses plain HTTP off loopback unless allowed, and serves HTTPS with a certificate', async () => {
    const dir = tempDir('tirkeu-tls-');
    try {
      await expect(startServer({ host: '0.0.0.0', port: 0, dataDir: dir, logger: false })).rejects.toThrow(/Refusing plain HTTP/);
      const key = path.join(dir, 'key.pem');
      const cert = path.join(dir, 'cert.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '2',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost,IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      const { pgliteTemplate } = await import('../../helpers/sync-server');
      fs.cpSync(await pgliteTemplate(), path.join(dir, 'pglite'), { recursive: true });
      const server = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir, tlsCert: cert, tlsKey: key, logger: false });
      try {
        expect(server.url).toMatch(/^https:/);
        const body = await new Promise<string>((resolve, reject) => {
          https
            .get(`${server.url}/v1/health`, { ca: fs.readFileSync(cert) }, (res) => {
              let data = '';
              res.on('data', (c) => (data += c));
              res.on('end', () => resolve(data));
            })
            .on('error', reject);
        });
        expect(JSON.parse(body)).toMatchObject({ ok: true, protocol: SYNC_PROTOCOL });
      } finally {
        await server.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
