/**
 * The server's enrollment and authentication: organizations, one-time enrollment codes, workstation credentials
 * (issued, checked, revoked, listed). Split out of the former server/store.ts (issue 12), whose push and pull
 * live in server/push.ts and server/pull.ts. Everything here runs on PostgreSQL and PGlite alike.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EnrollPreview, EnrollResponse } from '../common/sync-protocol';
import type { OrgProfile } from '../common/organization';
import { ensureOrganization, getProfile, nextWorkstationCode, setProfile } from './organization';
import { appendChanges } from './push';
import type { ServerDb, Sql } from './db';
import { systemClock } from '../common/clock';

export interface Workstation {
  id: string;
  orgBin: string;
  /** The workstation this one replaced (the same desk enrolled again): its operations are this one's. */
  replaces?: string | null;
  /** This desk checks the dispensary registers: it is sent their entries (nobody else is). */
  receivesRegisters?: boolean;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford: no I, L, O, U

export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** A one-time code (80 random bits, shown as XXXX-XXXX-XXXX-XXXX); only its hash is stored. */
export async function createEnrollmentCode(
  db: ServerDb,
  opts: { orgBin: string; name?: string; ttlHours?: number; now?: Date; profile?: OrgProfile },
): Promise<{ code: string; expiresAt: string }> {
  const bytes = randomBytes(16);
  let raw = '';
  for (let i = 0; i < 16; i++) raw += CODE_ALPHABET[bytes[i]! & 31];
  const code = raw.match(/.{4}/g)!.join('-');
  const expiresAt = new Date((opts.now ?? systemClock()).getTime() + (opts.ttlHours ?? 72) * 3_600_000);
  await db.transaction(async (tx) => {
    await ensureOrganization(tx, opts.orgBin);
    if (opts.profile && !(await setProfile(tx, opts.orgBin, opts.profile))) throw new Error('the organization profile is not valid');
    await tx.query(`INSERT INTO enrollment_code (code_hash, org_bin, name, expires_at) VALUES ($1, $2, $3, $4)`, [
      sha256(normalizeCode(code)),
      opts.orgBin,
      opts.name ?? '',
      expiresAt.toISOString(),
    ]);
  });
  return { code, expiresAt: expiresAt.toISOString() };
}

/** Whose a valid, unused, unexpired code is, without using it up. Null when the code is not good. */
export async function previewEnrollment(db: Sql, code: string, now: Date = systemClock()): Promise<EnrollPreview | null> {
  const r = await db.query<{ org_bin: string; expires_at: string }>(
    `SELECT org_bin, to_json(expires_at)#>>'{}' AS expires_at FROM enrollment_code WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2`,
    [sha256(normalizeCode(code)), now.toISOString()],
  );
  const row = r.rows[0];
  if (!row) return null;
  return { org_bin: row.org_bin, organization: await getProfile(db, row.org_bin), expires_at: row.expires_at };
}

/**
 * Exchanges a valid, unused, unexpired code for a new workstation credential and its short code. Null when the code
 * is not good; 'org-mismatch' (and the code stays unused) when the workstation said which organization it expects
 * and the code is another's: a desk holding one clinic's data never joins another.
 */
export async function enroll(
  db: ServerDb,
  code: string,
  name: string | undefined,
  now: Date = systemClock(),
  expectBin?: string | null,
  previous?: { credential: string } | null,
): Promise<EnrollResponse | 'org-mismatch' | null> {
  const hash = sha256(normalizeCode(code));
  return db.transaction(async (tx) => {
    const r = await tx.query<{ org_bin: string; name: string }>(
      `SELECT org_bin, name FROM enrollment_code WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 FOR UPDATE`,
      [hash, now.toISOString()],
    );
    const row = r.rows[0];
    if (!row) return null;
    if (expectBin && expectBin !== row.org_bin) return 'org-mismatch';
    await tx.query(`UPDATE enrollment_code SET used_at = $2 WHERE code_hash = $1`, [hash, now.toISOString()]);
    const id = 'ws-' + randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    // The same desk enrolled again (it proves it held the old credential): it keeps its code, so its numbers go on
    // as before, and the old record is revoked.
    const old = previous ? await authenticate(tx, previous.credential) : null;
    const replaced = old && old.orgBin === row.org_bin ? old : null;
    let wsCode: string;
    if (replaced) {
      const r = await tx.query<{ code: string | null }>(`SELECT code FROM workstation WHERE id = $1`, [replaced.id]);
      wsCode = r.rows[0]?.code ?? (await nextWorkstationCode(tx, row.org_bin));
      await tx.query(`UPDATE workstation SET revoked_at = $2, code = NULL WHERE id = $1`, [replaced.id, now.toISOString()]);
    } else wsCode = await nextWorkstationCode(tx, row.org_bin);
    await tx.query(`INSERT INTO workstation (id, org_bin, name, secret_hash, code, replaces) VALUES ($1, $2, $3, $4, $5, $6)`, [
      id,
      row.org_bin,
      name || row.name,
      sha256(secret),
      wsCode,
      replaced?.id ?? null,
    ]);
    await tx.query(`UPDATE enrollment_code SET workstation_id = $1 WHERE code_hash = $2`, [id, hash]);
    // Every desk of the organization lists the clinic's workstations (the administrator's organization screen).
    await appendChanges(tx, row.org_bin, null, [
      {
        kind: 'workstation',
        key: id,
        payload: JSON.stringify({ id, code: wsCode, name: name || row.name, enrolledAt: now.toISOString() }),
      },
    ]);
    return {
      workstation_id: id,
      credential: `${id}.${secret}`,
      org_bin: row.org_bin,
      server_time: now.toISOString(),
      workstation_code: wsCode,
      organization: await getProfile(tx, row.org_bin),
    };
  });
}

/** The workstation a bearer credential belongs to, or null (unknown, wrong secret, revoked). */
export async function authenticate(db: Sql, credential: string): Promise<Workstation | null> {
  const dot = credential.indexOf('.');
  if (dot <= 0 || credential.length > 200) return null;
  const id = credential.slice(0, dot);
  const r = await db.query<{
    org_bin: string;
    secret_hash: string;
    revoked_at: unknown;
    replaces: string | null;
    receives_registers: boolean;
  }>(`SELECT org_bin, secret_hash, revoked_at, replaces, receives_registers FROM workstation WHERE id = $1`, [id]);
  const row = r.rows[0];
  if (!row || row.revoked_at) return null;
  const given = Buffer.from(sha256(credential.slice(dot + 1)), 'hex');
  const stored = Buffer.from(row.secret_hash, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;
  return { id, orgBin: row.org_bin, replaces: row.replaces, receivesRegisters: row.receives_registers };
}

export async function revokeWorkstation(db: Sql, id: string, now: Date = systemClock()): Promise<boolean> {
  const r = await db.query(`UPDATE workstation SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, now.toISOString()]);
  return r.rowCount > 0;
}

export async function noteWorkstationSeen(
  db: Sql,
  ws: Workstation,
  protocol: number,
  schema: number | null,
  now: Date = systemClock(),
): Promise<void> {
  await db.query(`UPDATE workstation SET last_seen_at = $4, protocol = $2, schema_version = $3 WHERE id = $1`, [
    ws.id,
    protocol,
    schema,
    now.toISOString(),
  ]);
}

export interface WorkstationInfo {
  id: string;
  org_bin: string;
  code: string | null;
  name: string;
  created_at: string;
  revoked_at: string | null;
  last_seen_at: string | null;
  ops: number;
}

export async function listWorkstations(db: Sql, orgBin?: string): Promise<WorkstationInfo[]> {
  const r = await db.query<WorkstationInfo>(
    `SELECT w.id, w.org_bin, w.code, w.name, w.created_at::text AS created_at, w.revoked_at::text AS revoked_at, w.last_seen_at::text AS last_seen_at,
            (SELECT count(*) FROM sync_op o WHERE o.workstation_id = w.id)::int AS ops
       FROM workstation w WHERE ($1::text IS NULL OR w.org_bin = $1) ORDER BY w.created_at`,
    [orgBin ?? null],
  );
  return r.rows;
}
