/**
 * Secrets at rest (issue 14, clause 21): the provider key's PKCS#12 file and its password or PIN, and the
 * workstation's sync credential, are kept in the database only sealed. Whoever carries the data folder away
 * (a stolen PC's disk, a copied backup) finds no usable secret in it.
 *
 * One small interface, two kinds of key:
 * - in the Electron window, the operating system's key store (`safeStorage`: DPAPI on Windows, libsecret on
 *   Linux); only the shell may import `electron`, so electron/main.ts builds that box and passes it in;
 * - in browser mode (`tirkeu serve`) and the CLI, a 256-bit key kept OUTSIDE the data folder: the variable
 *   TIRKEU_SECRET_KEY (64 hex digits), else a file of mode 0600 in the user's config folder, one per data folder
 *   (`<config>/tirkeu-keys/<hash of the data folder>.key`), made the first time a secret is sealed. AES-256-GCM.
 *
 * A sealed value says which key sealed it (`tks1:<kind>:<key id>:<data>`), so a missing or replaced key is named
 * as such ("the secrets cannot be opened"), never a garbled value or a crash.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../common/errors';

export interface SecretBox {
  /** What keeps the key: shown in logs and the README's terms ('os-keystore' or 'key-file'). */
  readonly kind: SecretBoxKind;
  /** Where the key is (the key file's path, or the key store's name), for messages; never the key itself. */
  readonly where: string;
  seal(plain: string): string;
  /** Throws SecretsUnavailableError when this box's key is not the one that sealed the value. */
  open(sealed: string): string;
}

export type SecretBoxKind = 'os-keystore' | 'key-file';

const PREFIX = 'tks1';

export function isSealed(value: string): boolean {
  return value.startsWith(`${PREFIX}:`);
}

/** The sealed secrets are there but this key does not open them: the key file was removed, replaced or is elsewhere. */
export class SecretsUnavailableError extends ApiError {
  constructor(detail: string) {
    super('secrets-unavailable', `the stored secrets cannot be opened: ${detail}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The key-file box (AES-256-GCM)

const KEY_BYTES = 32;

/** The folder of key files: the user's config folder, apart from every data folder. */
export function keyDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TIRKEU_KEY_DIR) return path.resolve(env.TIRKEU_KEY_DIR);
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), 'Tirkeu', 'keys');
  // `tirkeu-keys`, not `tirkeu/keys`: the default data folder is ~/.config/Tirkeu, the same folder on a
  // case-insensitive file system.
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'tirkeu-keys');
}

/** The key file of one data folder. */
export function keyFileOf(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  return path.join(keyDir(env), `${hash}.key`);
}

function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('tirkeu-secret-key').update(key).digest('hex').slice(0, 12);
}

function parseEnvKey(text: string): Buffer {
  const t = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(t)) throw new Error('TIRKEU_SECRET_KEY must be 64 hexadecimal digits (a 256-bit key)');
  return Buffer.from(t, 'hex');
}

function inside(folder: string, file: string): boolean {
  const rel = path.relative(path.resolve(folder), path.resolve(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The box of browser mode and the CLI. The key is read lazily: a data folder that never holds a secret never
 * gets a key file, and opening the application does not fail when the key is gone — only opening a secret does.
 */
export function keyFileBox(dataDir: string, env: NodeJS.ProcessEnv = process.env): SecretBox {
  const fromEnv = env.TIRKEU_SECRET_KEY;
  const file = keyFileOf(dataDir, env);
  if (!fromEnv && inside(dataDir, file))
    throw new Error(`the key folder ${path.dirname(file)} lies inside the data folder ${dataDir}; set TIRKEU_KEY_DIR elsewhere`);
  const where = fromEnv ? 'TIRKEU_SECRET_KEY' : file;
  let key: Buffer | null = fromEnv ? parseEnvKey(fromEnv) : null;

  const existing = (): Buffer | null => {
    if (key) return key;
    if (!fs.existsSync(file)) return null;
    const bytes = fs.readFileSync(file);
    if (bytes.length !== KEY_BYTES) throw new SecretsUnavailableError(`the key file ${file} is not a ${KEY_BYTES}-byte key`);
    key = bytes;
    return key;
  };
  const create = (): Buffer => {
    const found = existing();
    if (found) return found;
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const fresh = randomBytes(KEY_BYTES);
    // 'wx': never overwrite a key another process has just written; mode 0600 from the first byte.
    try {
      fs.writeFileSync(file, fresh, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return existing()!;
    }
    fs.chmodSync(file, 0o600);
    key = fresh;
    return key;
  };

  return {
    kind: 'key-file',
    where,
    seal(plain) {
      const k = create();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const blob = Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
      return `${PREFIX}:key-file:${keyIdOf(k)}:${blob}`;
    },
    open(sealed) {
      const parts = parseSealed(sealed);
      if (parts.kind !== 'key-file')
        throw new SecretsUnavailableError(`they were sealed by the operating system's key store; open them in the Tirkeu window`);
      const k = existing();
      if (!k) throw new SecretsUnavailableError(`the key file ${file} is missing; set the provider key and enroll the workstation again`);
      if (keyIdOf(k) !== parts.keyId)
        throw new SecretsUnavailableError(`they were sealed with another key than ${where}; set the provider key and enroll again`);
      const raw = Buffer.from(parts.data, 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretsUnavailableError('a sealed value is damaged');
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The operating system's key store (the shell passes Electron's safeStorage in)

/** What electron/main.ts hands over: Electron's `safeStorage`, reduced to what is used. */
export interface OsKeyStore {
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** 'dpapi', 'gnome_libsecret', 'kwallet5', 'keychain'…; 'basic_text' means no real key store (a fixed key). */
  backend: string;
}

export function osKeyStoreBox(store: OsKeyStore): SecretBox {
  return {
    kind: 'os-keystore',
    where: store.backend,
    seal: (plain) => `${PREFIX}:os-keystore:${store.backend}:${store.encryptString(plain).toString('base64')}`,
    open(sealed) {
      const parts = parseSealed(sealed);
      if (parts.kind !== 'os-keystore')
        throw new SecretsUnavailableError(
          'they were sealed with a key file (browser mode or the command line); start that way, or set them again',
        );
      try {
        return store.decryptString(Buffer.from(parts.data, 'base64'));
      } catch {
        throw new SecretsUnavailableError(
          `the operating system's key store (${store.backend}) does not open them: another user or computer?`,
        );
      }
    },
  };
}

function parseSealed(sealed: string): { kind: string; keyId: string; data: string } {
  const [prefix, kind, keyId, data] = sealed.split(':');
  if (prefix !== PREFIX || !kind || keyId === undefined || !data)
    throw new SecretsUnavailableError('a stored secret is not in the sealed form');
  return { kind, keyId, data };
}
