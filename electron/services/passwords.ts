/**
 * Password hashing with scrypt (memory-hard, in Node's crypto, no native add-on). Stored as
 * `scrypt$N$r$p$salt$hash` so the cost can be raised later without breaking existing hashes.
 */
import { randomBytes, randomInt, scrypt as scryptCb, scryptSync, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
/** 2^16 (64 MiB, about 0.2 s on a modest desk PC): raised from 2^14 (issue 14); older hashes are redone at login. */
const N = 65536;
const R = 8;
const P = 1;
const KEYLEN = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: 256 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function hashPasswordSync(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, KEYLEN, { N, r: R, p: P, maxmem: 256 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** True when a stored hash was made with weaker parameters than today's (redo it at the next successful login). */
export function needsRehash(stored: string): boolean {
  const parts = stored.split('$');
  return parts[0] === 'scrypt' && (Number(parts[1]) < N || Number(parts[2]) < R);
}

/** A temporary password a person can read aloud and type: no look-alike characters (0/O, 1/l/I). */
export function temporaryPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyz';
  const digits = '23456789';
  let out = '';
  for (let i = 0; i < 6; i++) out += letters[randomInt(letters.length)];
  for (let i = 0; i < 4; i++) out += digits[randomInt(digits.length)];
  return out;
}
