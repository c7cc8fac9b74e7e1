/**
 * Issue 13, point 6: booking pushes are set-based. A batch of bookings takes a fixed number of statements however
 * many it holds, and every operation's answer is what it was one booking at a time: applied with the booking id
 * and confirmation time, conflict with the winner's details (the first of two bookings of one slot in a batch
 * wins), duplicate with the first answer; a booking the database refuses is rejected alone.
 */
import type { EnrollResponse } from '../../../common/sync-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpResult, PushOp } from '../../../common/sync-protocol';
import type { ServerDb, Sql } from '../../../server/db';
import { push } from '../../../server/push';
import { startPostgres, type PgCluster } from '../../helpers/postgres';
import { openBackendDb, type Backend } from '../../helpers/sync-server';
import { createEnrollmentCode, enroll, type Workstation } from '../../../server/enrollment';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.close();
});

const ORG = '120140001011';
let n = 0;
const booking = (doctor: string, slot: string): PushOp => {
  const i = ++n;
  return {
    op_id: `op-booking-${i}-xxxxxxxx`,
    kind: 'booking.create',
    entity: 'booking',
    entity_id: String(i),
    payload: { booking_id: `bk-${i}`, doctor, slot_start: slot, patient_name: 'Patient', phone: '+77010000000' },
    created_at: '2025-03-01T10:00:00.000Z',
  };
};
const slot = (i: number) => new Date(Date.UTC(2025, 5, 2, 8, 0) + i * 20 * 60_000).toISOString();

/** The database with every statement counted, in and out of transactions. */
function counting(db: ServerDb): { db: ServerDb; count: () => number; reset: () => void } {
  let statements = 0;
  const wrap = (sql: Sql): Sql => ({
    query: (text, params) => {
      statements++;
      return sql.query(text, params);
    },
  });
  return {
    db: {
      ...db,
      kind: db.kind,
      query: wrap(db).query,
      transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
      exec: db.exec,
      close: db.close,
    },
    count: () => statements,
    reset: () => (statements = 0),
  };
}

describe.each<Backend>(['pglite', 'postgres'])('booking pushes on %s', (backend) => {
  let db: ServerDb;
  let ws: Workstation;
  let other: Workstation;
  beforeAll(async () => {
    db = (await openBackendDb(backend, cluster)).db;
    const make = async () => {
      const e = (await enroll(db, (await createEnrollmentCode(db, { orgBin: ORG })).code, 'desk')) as EnrollResponse;
      return { id: e.workstation_id, orgBin: ORG };
    };
    ws = await make();
    other = await make();
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('answers each booking as before: applied, conflict with the winner (first in the batch wins), duplicate', async () => {
    const taken = booking('dr-a', slot(0));
    const first = await push(db, other, { batch_id: 'batch-taken-0001', ops: [taken] });
    const confirmedAt = (first.results[0] as { result: { confirmed_at: string } }).result.confirmed_at;

    const free = booking('dr-a', slot(1));
    const twinA = booking('dr-a', slot(2));
    const twinB = booking('dr-a', slot(2));
    const lost = booking('dr-a', slot(0));
    const sameTimeOtherZone = booking('dr-a', slot(1).replace('Z', '+00:00'));
    const r = await push(db, ws, { batch_id: 'batch-mixed-0001', ops: [free, twinA, twinB, lost, sameTimeOtherZone, taken] });
    const byId = (op: PushOp) => r.results.find((x) => x.op_id === op.op_id)!;
    expect(r.results.map((x) => x.status)).toEqual(['applied', 'applied', 'conflict', 'conflict', 'conflict', 'rejected']);
    expect(byId(free)).toEqual({
      op_id: free.op_id,
      status: 'applied',
      result: { booking_id: (free.payload as { booking_id: string }).booking_id, confirmed_at: r.received_at },
    });
    expect((byId(twinB) as { server: unknown }).server).toMatchObject({
      reason: 'slot-taken',
      doctor: 'dr-a',
      slot_start: slot(2),
      booking_id: (twinA.payload as { booking_id: string }).booking_id,
      workstation_id: ws.id,
    });
    const lostServer = (byId(lost) as { server: { booking_id: string; workstation_id: string; confirmed_at: string } }).server;
    expect(lostServer.booking_id).toBe((taken.payload as { booking_id: string }).booking_id);
    expect(lostServer.workstation_id).toBe(other.id);
    expect(Date.parse(lostServer.confirmed_at)).toBe(Date.parse(confirmedAt));
    expect((byId(sameTimeOtherZone) as { server: { booking_id: string } }).server.booking_id).toBe(
      (free.payload as { booking_id: string }).booking_id,
    );
    expect(byId(taken)).toMatchObject({ status: 'rejected', code: 'op-id-taken' });

    // Stored answers: a duplicate in a later batch carries them.
    const again = await push(db, ws, { batch_id: 'batch-mixed-0002', ops: [twinB, free] });
    expect(again.results[0]).toEqual({ op_id: twinB.op_id, status: 'duplicate', original: byId(twinB) as OpResult });
    expect(again.results[1]).toEqual({ op_id: free.op_id, status: 'duplicate', original: byId(free) as OpResult });
    const status = await db.query<{ status: string }>(`SELECT status FROM sync_op WHERE op_id = $1`, [twinB.op_id]);
    expect(status.rows[0]!.status).toBe('conflict');
    const held = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM booking WHERE doctor = 'dr-a'`);
    expect(Number(held.rows[0]!.n)).toBe(3);
  });

  it('takes the same number of statements for 10 bookings as for 500', async () => {
    const c = counting(db);
    const statementsFor = async (size: number, doctor: string) => {
      const ops = Array.from({ length: size }, (_, i) => booking(doctor, slot(i % Math.ceil(size * 0.8))));
      c.reset();
      const r = await push(c.db, ws, { batch_id: `batch-count-${doctor}-${size}`, ops });
      expect(r.results.filter((x) => x.status === 'applied')).toHaveLength(Math.ceil(size * 0.8));
      expect(r.results.filter((x) => x.status === 'conflict')).toHaveLength(size - Math.ceil(size * 0.8));
      return c.count();
    };
    const small = await statementsFor(10, 'dr-count-small');
    const large = await statementsFor(500, 'dr-count-large');
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(12);
  });

  it('rejects alone a booking the database refuses and applies the others', async () => {
    const good = booking('dr-b', slot(0));
    const poisoned = booking('dr-b', '2025-02-30T10:00:00Z');
    const good2 = booking('dr-b', slot(1));
    const r = await push(db, ws, { batch_id: 'batch-poison-0001', ops: [good, poisoned, good2] });
    expect(r.results.map((x) => x.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(r.results[1]).toMatchObject({ code: 'server-refused' });
  });
});
