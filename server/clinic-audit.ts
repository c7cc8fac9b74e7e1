/**
 * What the central server holds of one organization, read for the clinic simulation's invariants (issue 13,
 * electron/simulation/): the operations it accepted, its live bookings, and any slot booked twice. Read-only, plus
 * a scratch database on a PostgreSQL server for a simulation run (created fresh, dropped at the end).
 */
import pg from 'pg';
import type { Sql } from './db';

export interface ServerOp {
  opId: string;
  workstationId: string;
  kind: string;
  entityId: string;
  status: string;
}

export async function serverOps(db: Sql, orgBin: string): Promise<ServerOp[]> {
  const r = await db.query<ServerOp>(
    `SELECT op_id AS "opId", workstation_id AS "workstationId", kind, entity_id AS "entityId", status FROM sync_op WHERE org_bin = $1`,
    [orgBin],
  );
  return r.rows;
}

/** op_ids stored more than once (the primary key forbids it; counted so that a broken key would show). */
export async function repeatedOpIds(db: Sql, orgBin: string): Promise<number> {
  const r = await db.query<{ n: string }>(
    `SELECT coalesce(sum(c - 1), 0) AS n FROM (SELECT count(*) AS c FROM sync_op WHERE org_bin = $1 GROUP BY op_id HAVING count(*) > 1) x`,
    [orgBin],
  );
  return Number(r.rows[0]?.n ?? 0);
}

export interface LiveBooking {
  bookingId: string;
  doctor: string;
  slotMs: number;
  workstationId: string;
}

export async function liveBookings(db: Sql, orgBin: string): Promise<LiveBooking[]> {
  const r = await db.query<{ booking_key: string; doctor: string; ms: string; workstation_id: string }>(
    `SELECT booking_key, doctor, (extract(epoch FROM slot_start) * 1000)::bigint AS ms, workstation_id FROM booking WHERE org_bin = $1`,
    [orgBin],
  );
  return r.rows.map((x) => ({ bookingId: x.booking_key, doctor: x.doctor, slotMs: Number(x.ms), workstationId: x.workstation_id }));
}

/** (doctor, slot) pairs with more than one live booking, and booking keys held more than once. */
export async function doubleBookingsOnServer(db: Sql, orgBin: string): Promise<number> {
  const slots = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM booking WHERE org_bin = $1 GROUP BY doctor, slot_start HAVING count(*) > 1) x`,
    [orgBin],
  );
  const keys = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM booking WHERE org_bin = $1 GROUP BY booking_key HAVING count(*) > 1) x`,
    [orgBin],
  );
  return Number(slots.rows[0]?.n ?? 0) + Number(keys.rows[0]?.n ?? 0);
}

/** Numbers of the e-requests the gateway delivered to the organization (the ones its desks must register). */
export async function receivedErequests(db: Sql, orgBin: string): Promise<string[]> {
  const r = await db.query<{ number: string }>(
    `SELECT number FROM gateway_request WHERE org_bin = $1 AND status NOT IN ('unknown-organization', 'bad-request') ORDER BY number`,
    [orgBin],
  );
  return r.rows.map((x) => x.number);
}

/** The workstations enrolled in the organization, with their short codes. */
export async function workstationIds(db: Sql, orgBin: string): Promise<string[]> {
  const r = await db.query<{ id: string }>(`SELECT id FROM workstation WHERE org_bin = $1`, [orgBin]);
  return r.rows.map((x) => x.id);
}

/**
 * A fresh database for one simulation run on the PostgreSQL server at `adminUrl` (a user allowed to create
 * databases); returns its URL and a function that drops it.
 */
export async function createScratchDatabase(adminUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a database name: ${name}`);
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
