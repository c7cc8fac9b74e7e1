/**
 * Issue 13's server figures for a clinic network, each beside a naive baseline measured in the same run:
 *  - booking push throughput on PostgreSQL (target ≥ 5,000 ops/s): the set-based path against the former
 *    one-booking-at-a-time statements (reproduced here, on the same database);
 *  - a new desk's first pull of an organization with many changes (target for 1,000,000 changes: ≤ 30 s on
 *    PostgreSQL, ≤ 60 s on PGlite; scaled linearly for a smaller run): the snapshot bootstrap against a pull of the
 *    whole log, both by the real sync engine into a real SQLite file. Each key is changed 10 times over the
 *    history. TIRKEU_BENCH_CHANGES sets the number of changes (default 200,000; --quick 20,000);
 *  - a 60,000-row publish of one organization delaying another organization's push (target ≤ 50 ms, PostgreSQL):
 *    the worst push latency during the publish minus the median idle one; the baseline is the former publish (one
 *    transaction) with a desk of the publishing organization pushing meanwhile: what every organization met under
 *    the one global counter.
 */
import { makeIin } from '../common/iin';
import { dayNumberOf, dayNumberToIso } from '../common/working-calendar';
import { enrolledDesk, round } from './enrolled-desk';
import { forEachServerBackend, timed } from './server-backends';
import type { EnrollResponse } from '../common/sync-protocol';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { setSetting } from '../db/settings';
import { closeApp } from '../electron/services/app';
import { SyncEngine } from '../electron/services/sync/engine';
import { appendChanges, publishReference } from '../server/change-log';
import type { ServerDb } from '../server/db';
import { createEnrollmentCode, enroll, type Workstation } from '../server/enrollment';
import { maintain } from '../server/maintenance';
import { encodeCursor } from '../server/pull';
import { push } from '../server/push';
import type { PushOp } from '../common/sync-protocol';
import { figure, median, type BenchContext, type BenchFigure } from './types';

const ORG_A = '120140001011';
const ORG_B = '990140002222';

async function serverWorkstation(db: ServerDb, org: string): Promise<Workstation> {
  const e = (await enroll(db, (await createEnrollmentCode(db, { orgBin: org })).code, 'bench')) as EnrollResponse;
  return { id: e.workstation_id, orgBin: org };
}

let slotCounter = 0;
function bookings(n: number, contested = 0.1): PushOp[] {
  return Array.from({ length: n }, (_, i) => {
    const k = ++slotCounter;
    // One in ten books a slot another operation of the batch already holds.
    const slotIndex = i > 0 && i % Math.round(1 / contested) === 0 ? k - 1 : k;
    return {
      op_id: randomUUID(),
      kind: 'booking.create',
      entity: 'booking',
      entity_id: String(k),
      payload: {
        booking_id: randomUUID(),
        doctor: `dr-${slotIndex % 50}`,
        slot_start: new Date(Date.UTC(2030, 0, 1) + slotIndex * 20 * 60_000).toISOString(),
        patient_name: 'Асқар Нұрланұлы',
        phone: '+77010000000',
      },
      created_at: '2030-01-01T00:00:00.000Z',
    };
  });
}

/** The former booking path, statement by statement: one op insert, one booking insert, a winner query, updates. */
async function perRowBookings(db: ServerDb, ws: Workstation, ops: PushOp[]): Promise<void> {
  await db.transaction(async (tx) => {
    const at = new Date().toISOString();
    const batch = randomUUID();
    await tx.query(`INSERT INTO sync_batch (workstation_id, batch_id, received_at, op_count) VALUES ($1, $2, $3, $4)`, [
      ws.id,
      batch,
      at,
      ops.length,
    ]);
    const changes = [];
    for (const op of ops) {
      const b = op.payload as { booking_id: string; doctor: string; slot_start: string };
      const text = JSON.stringify(op.payload);
      await tx.query(
        `INSERT INTO sync_op (op_id, workstation_id, org_bin, batch_id, kind, entity, entity_id, payload, device_time, received_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'applied') ON CONFLICT (op_id) DO NOTHING RETURNING op_id`,
        [op.op_id, ws.id, ws.orgBin, batch, op.kind, op.entity, op.entity_id, text, op.created_at, at],
      );
      const won = await tx.query(
        `INSERT INTO booking (org_bin, doctor, slot_start, booking_key, op_id, workstation_id, payload, confirmed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT ON CONSTRAINT booking_one_per_slot DO NOTHING RETURNING id`,
        [ws.orgBin, b.doctor, b.slot_start, b.booking_id, op.op_id, ws.id, text, at],
      );
      if (won.rowCount > 0) changes.push({ kind: 'booking', key: b.booking_id, payload: text });
      else {
        await tx.query(`SELECT booking_key FROM booking WHERE org_bin = $1 AND doctor = $2 AND slot_start = $3`, [
          ws.orgBin,
          b.doctor,
          b.slot_start,
        ]);
        await tx.query(`UPDATE sync_op SET status = 'conflict' WHERE op_id = $1`, [op.op_id]);
      }
      await tx.query(`UPDATE sync_op SET result = $2 WHERE op_id = $1`, [op.op_id, '{}']);
    }
    await appendChanges(tx, ws.orgBin, ws.id, changes);
  });
}

async function bookingFigure(ctx: BenchContext, db: ServerDb, backend: string): Promise<BenchFigure> {
  const ws = await serverWorkstation(db, ORG_A);
  const total = ctx.quick ? 5_000 : 20_000;
  await push(db, ws, { batch_id: randomUUID(), ops: bookings(500) }); // warm-up
  let seconds = 0;
  for (let i = 0; i < total; i += 5_000) {
    const ops = bookings(5_000);
    seconds += await timed(() => push(db, ws, { batch_id: randomUUID(), ops }));
  }
  const rate = total / seconds;
  const sample = ctx.quick ? 1_000 : 5_000;
  const naiveOps = bookings(sample);
  const naiveRate = sample / (await timed(() => perRowBookings(db, ws, naiveOps)));
  ctx.log(`${backend}: booking push ${Math.round(rate)} ops/s; one booking at a time ${Math.round(naiveRate)} ops/s`);
  return figure(`sync.booking-push.${backend}`, rate, 'ops/s', 5_000, {
    direction: 'min',
    baseline: { value: naiveRate, ratio: rate / naiveRate, what: 'former per-booking statements' },
    note: `${total} bookings in batches of 5,000, one in ten contested`,
  });
}

const desk = enrolledDesk;

async function bootstrapFigures(ctx: BenchContext, db: ServerDb, url: string, backend: 'pglite' | 'postgres'): Promise<BenchFigure[]> {
  const changes = Number(process.env.TIRKEU_BENCH_CHANGES ?? (ctx.quick ? 20_000 : 200_000));
  const keys = Math.max(1, Math.round(changes / 10));
  const org = backend === 'pglite' ? '130140001013' : '130140002013';
  const fill = await timed(async () => {
    for (let done = 0; done < changes;) {
      const n = Math.min(20_000, changes - done);
      await publishReference(
        db,
        org,
        // People entered by hand on other desks, each changed about ten times: rows the new desk really applies.
        Array.from({ length: n }, (_, i) => {
          const k = (done + i) % keys;
          const birthDate = dayNumberToIso(dayNumberOf('1950-01-01') + k);
          const iin = makeIin(birthDate, k % 2 ? 'M' : 'F', 1 + (k % 9000))!;
          return {
            kind: 'person',
            key: iin,
            payload: {
              iin,
              surname: 'Нұрланов',
              givenName: `Асқар ${done + i}`,
              patronymic: null,
              birthDate,
              sex: k % 2 ? 'M' : 'F',
              address: null,
              phone: null,
            },
          };
        }),
      );
      done += n;
    }
  });
  await maintain(db);
  ctx.log(`${backend}: ${changes} changes over ${keys} keys written in ${fill.toFixed(1)} s`);
  const snapDesk = await desk(path.join(ctx.dir, `${backend}-snapshot`), db, url, org);
  const snapshot = await timed(() => round(new SyncEngine(snapDesk, { watchNetwork: false })));
  closeApp(snapDesk);
  const logDesk = await desk(path.join(ctx.dir, `${backend}-full-log`), db, url, org);
  setSetting(logDesk.db, 'sync.cursor', encodeCursor(0)); // a pull of the whole log, as before the snapshot
  const fullLog = await timed(() => round(new SyncEngine(logDesk, { watchNetwork: false })));
  closeApp(logDesk);
  const target = (backend === 'postgres' ? 30 : 60) * (changes / 1_000_000);
  ctx.log(`${backend}: new desk's first pull of ${changes} changes: snapshot ${snapshot.toFixed(2)} s, whole log ${fullLog.toFixed(2)} s`);
  return [
    figure(`sync.first-pull.${backend}`, snapshot, 's', Math.round(target * 1000) / 1000, {
      baseline: { value: fullLog, ratio: snapshot / fullLog, what: 'pull of the whole log' },
      note: `${changes} changes over ${keys} keys (target scaled from 1,000,000 changes)`,
    }),
  ];
}

/** Push latencies of a desk (one booking per batch) while `during` runs, and idle before it. */
async function latencies(db: ServerDb, ws: Workstation, during: () => Promise<unknown>): Promise<{ idle: number; worst: number }> {
  const idle: number[] = [];
  for (let i = 0; i < 30; i++) idle.push(await timed(() => push(db, ws, { batch_id: randomUUID(), ops: bookings(1) })));
  const busy: number[] = [];
  let finished = false;
  const work = during().finally(() => (finished = true));
  while (!finished) {
    busy.push(await timed(() => push(db, ws, { batch_id: randomUUID(), ops: bookings(1) })));
    await new Promise((r) => setTimeout(r, 5));
  }
  await work;
  return { idle: median(idle) * 1000, worst: Math.max(...busy) * 1000 };
}

async function publishDelayFigure(ctx: BenchContext, db: ServerDb, backend: string): Promise<BenchFigure> {
  const rows = (tag: string) =>
    Array.from({ length: 60_000 }, (_, i) => ({ kind: 'price', key: `${tag}-${i}`, payload: { tenge: i, name: 'Қан анализі' } }));
  const other = await serverWorkstation(db, ORG_B);
  const same = await serverWorkstation(db, ORG_A);
  const cross = await latencies(db, other, () => publishReference(db, ORG_A, rows('a')));
  // The former publish: one transaction holding the (then global) counter row from its first chunk to commit.
  const formerPublish = (list: ReturnType<typeof rows>) =>
    db.transaction(async (tx) => {
      for (let i = 0; i < list.length; i += 5_000)
        await appendChanges(
          tx,
          ORG_A,
          null,
          list.slice(i, i + 5_000).map((r) => ({ kind: r.kind, key: r.key, payload: JSON.stringify(r.payload) })),
        );
    });
  const within = await latencies(db, same, () => formerPublish(rows('b')));
  const delay = Math.max(0, cross.worst - cross.idle);
  const sameDelay = Math.max(0, within.worst - within.idle);
  ctx.log(
    `${backend}: 60k publish delays another organization's push by ${delay.toFixed(1)} ms; the same organization's by ${sameDelay.toFixed(1)} ms`,
  );
  return figure(`sync.publish-delays-other-org.${backend}`, delay, 'ms', 50, {
    baseline: {
      value: sameDelay,
      ratio: delay / Math.max(sameDelay, 0.001),
      what: 'former one-transaction publish, pushing in the same organization (as every organization did under the global counter)',
    },
    note: 'worst push latency during a 60,000-row publish minus the median idle one',
  });
}

export default async function (ctx: BenchContext): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  await forEachServerBackend(ctx, 'sync-clinic', async (db, url, backend) => {
    figures.push(await bookingFigure(ctx, db, backend));
    figures.push(...(await bootstrapFigures(ctx, db, url, backend)));
    if (backend === 'postgres') figures.push(await publishDelayFigure(ctx, db, backend));
  });
  return figures;
}
