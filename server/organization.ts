/**
 * The organization as the central server knows it (issue 13): its profile — names in three languages, region, time
 * zone, address — which every desk receives at enrollment and which an administrator may edit from any desk (an
 * `org.profile` operation, applied here and handed down to the other desks as an `organization` row).
 */
import { orgProfileSchema, type OrgProfile } from '../common/organization';
import type { Sql } from './db';

export async function ensureOrganization(db: Sql, bin: string, name = ''): Promise<void> {
  if (!/^\d{12}$/.test(bin)) throw new Error(`not a BIN (12 digits): ${bin}`);
  await db.query(`INSERT INTO organization (bin, name) VALUES ($1, $2) ON CONFLICT (bin) DO NOTHING`, [bin, name]);
}

export async function getProfile(db: Sql, bin: string): Promise<OrgProfile | null> {
  const r = await db.query<{ profile: string | null }>(`SELECT profile FROM organization WHERE bin = $1`, [bin]);
  const text = r.rows[0]?.profile;
  if (!text) return null;
  const parsed = orgProfileSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

/** Saves a profile that passes the schema; anything else is ignored (the operation is still stored as pushed). */
export async function setProfile(db: Sql, bin: string, profile: unknown): Promise<boolean> {
  const parsed = orgProfileSchema.safeParse(profile);
  if (!parsed.success) return false;
  await db.query(`UPDATE organization SET profile = $2 WHERE bin = $1`, [bin, JSON.stringify(parsed.data)]);
  return true;
}

export const applyProfileOp = setProfile;

/** The next short code of a workstation of this organization (D1, D2…), taken inside the enrolling transaction. */
export async function nextWorkstationCode(tx: Sql, bin: string): Promise<string> {
  const r = await tx.query<{ n: number }>(`UPDATE organization SET next_code = next_code + 1 WHERE bin = $1 RETURNING next_code - 1 AS n`, [
    bin,
  ]);
  return `D${r.rows[0]!.n}`;
}
