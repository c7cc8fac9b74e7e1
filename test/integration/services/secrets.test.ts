/**
 * Secrets at rest (issue 14, clause 21), on real files: after the administrator sets the provider key (a PKCS#12
 * with a known password) and enrolls the workstation, no file of the data folder — the SQLite file, its -wal, the
 * log — holds the password, the credential or the key file's bytes. Reopened with the same key file the desk still
 * signs and syncs; without it, it says the secrets cannot be opened and keeps running. An older database with
 * plain values is sealed at its first open, its backups too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setSetting } from '../../../db/settings';
import { closeApp, openApp, type AppContext } from '../../../electron/services/app';
import { signDecided } from '../../../electron/services/erequests/answers';
import { providerKey } from '../../../electron/services/erequests/settings';
import { silentLogger } from '../../../electron/services/log';
import { PROVIDER_KEY, PROVIDER_SECRET, syncCredential } from '../../../electron/services/sealed-settings';
import { keyFileBox, keyFileOf, SecretsUnavailableError } from '../../../electron/services/secrets';
import { signAsProvider } from '../../../electron/services/signing-desk';
import { SyncEngine } from '../../../electron/services/sync/engine';
import { caller, createTestWorkstation, tempDir } from '../../helpers/app';
import { createErequestRig, ORG_P12_PASSWORD, opensslVerifies, type ErequestRig } from '../../helpers/erequests';

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every file of the folder that contains any of the needles (as bytes). */
function filesHolding(dir: string, needles: Buffer[]): string[] {
  return filesUnder(dir).filter((f) => {
    const bytes = fs.readFileSync(f);
    return needles.some((n) => bytes.includes(n));
  });
}

const mode = (f: string) => fs.statSync(f).mode & 0o777;

describe('secrets at rest', () => {
  let rig: ErequestRig;
  let reopened: AppContext | null = null;
  beforeEach(async () => {
    rig = await createErequestRig();
  }, 120_000);
  afterEach(async () => {
    if (reopened) closeApp(reopened);
    reopened = null;
    await rig.close();
  });

  const reopen = () => {
    closeApp(rig.ws.app);
    reopened = openApp({ dataDir: rig.ws.dir, log: silentLogger, clock: rig.clock.read }).app;
    return reopened;
  };

  it('keeps no password, credential or key file in the data folder; reopened with its key file it signs and syncs', async () => {
    const credential = syncCredential(rig.ws.app)!;
    expect(credential.length).toBeGreaterThan(20);
    const p12 = fs.readFileSync(path.join(rig.pki.dir, 'organization.p12'));
    const needles = [
      Buffer.from(ORG_P12_PASSWORD, 'utf8'),
      Buffer.from(credential, 'utf8'),
      Buffer.from(credential.split('.').at(-1)!, 'utf8'),
      Buffer.from(p12.toString('base64').slice(100, 160), 'utf8'),
      p12.subarray(200, 260),
    ];
    const db = path.join(rig.ws.dir, 'tirkeu.sqlite');
    expect(fs.existsSync(`${db}-wal`)).toBe(true);
    // A control: the needles would be found if they were there (the credential is in this process's memory only).
    const control = path.join(tempDir('tirkeu-control-'), 'x');
    fs.writeFileSync(control, Buffer.concat([Buffer.from('…'), needles[0]!]));
    expect(filesHolding(path.dirname(control), needles)).toHaveLength(1);
    fs.rmSync(path.dirname(control), { recursive: true });
    expect(filesHolding(rig.ws.dir, needles)).toEqual([]);

    // The folder is the user's alone; the database and its companions, and the key file, 0600.
    expect(mode(rig.ws.dir)).toBe(0o700);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) expect(mode(f)).toBe(0o600);
    const keyFile = keyFileOf(rig.ws.dir);
    expect(mode(keyFile)).toBe(0o600);
    expect(path.relative(rig.ws.dir, keyFile).startsWith('..')).toBe(true);

    const app = reopen();
    const key = providerKey(app)!;
    expect(key.secret).toBe(ORG_P12_PASSWORD);
    const doc = { answer: 'test', at: rig.clock.read().toISOString() };
    const signed = await signAsProvider(app, key, doc);
    expect(opensslVerifies(rig.pki, JSON.stringify(doc), signed.cms.toString('base64'))).toBe(true);
    // Syncing proves the credential: the server refuses a wrong one (blocked 'unauthorized').
    await caller(app).call('session.login', { login: 'registrar', password: 'test-pass-1' });
    const round = await new SyncEngine(app, { watchNetwork: false }).syncOnce();
    expect(round).toMatchObject({ ok: true, blocked: null });
    // Still nothing in the clear after the reopened desk's work.
    expect(filesHolding(rig.ws.dir, needles)).toEqual([]);
  }, 120_000);

  it('without its key file says the secrets cannot be opened, and keeps running', async () => {
    fs.rmSync(keyFileOf(rig.ws.dir));
    const app = reopen();
    expect(() => providerKey(app)).toThrow(SecretsUnavailableError);
    expect(() => providerKey(app)).toThrow(/cannot be opened: the key file .* is missing/);
    // Unattended signing waits (nothing signed, nothing thrown); sync is blocked with the reason said.
    await expect(signDecided(app)).resolves.toBe(0);
    const round = await new SyncEngine(app, { watchNetwork: false }).syncOnce();
    expect(round.blocked).toBe('secrets-unavailable');
    expect(round.error).toMatch(/stored secrets cannot be opened/);
    // The screens still answer: the settings show the key's label, never its secret.
    const admin = caller(app);
    await admin.call('session.login', { login: 'admin', password: 'test-pass-1' });
    expect((await admin.call('erequests.settings', {})).providerKey).toMatchObject({ kind: 'pkcs12', label: 'organization.p12' });
    // The sync screen and the top bar say why sync stopped.
    expect(await admin.call('sync.status', {})).toMatchObject({
      enrolled: true,
      secretsUnavailable: expect.stringMatching(/cannot be opened/),
    });
  }, 120_000);
});

describe('secrets an older version stored in the clear', () => {
  it('are sealed at the first open, in the database, its WAL and its backups', () => {
    const ws = createTestWorkstation({ population: 0 });
    const password = 'Ескі-құпия пароль 42';
    const credential = 'ws-1.plain-old-credential-0123456789abcdef';
    const fileBase64 = Buffer.from('a PKCS#12 file of an older version, in the clear, 0123456789').toString('base64');
    let reopened: AppContext | null = null;
    try {
      // What a version before issue 14 wrote: everything in the clear, and a backup beside it.
      setSetting(ws.app.db, PROVIDER_KEY, { source: { kind: 'pkcs12', fileName: 'old.p12', fileBase64 } });
      setSetting(ws.app.db, PROVIDER_SECRET, password);
      setSetting(ws.app.db, 'sync.credential', credential);
      fs.mkdirSync(path.join(ws.dir, 'backups'));
      ws.app.db.prepare('VACUUM INTO ?').run(path.join(ws.dir, 'backups', 'tirkeu.sqlite.v8.old.bak'));
      const needles = [password, credential, fileBase64].map((s) => Buffer.from(s, 'utf8'));
      expect(filesHolding(ws.dir, needles).length).toBeGreaterThan(0);
      closeApp(ws.app);

      const { app } = openApp({ dataDir: ws.dir, log: silentLogger });
      reopened = app;
      expect(filesHolding(ws.dir, needles)).toEqual([]);
      expect(providerKey(app)).toMatchObject({ secret: password, source: { kind: 'pkcs12', fileName: 'old.p12', fileBase64 } });
      expect(syncCredential(app)).toBe(credential);
    } finally {
      if (reopened) closeApp(reopened);
      ws.close();
    }
  });

  it('a key given in TIRKEU_SECRET_KEY seals without a key file; a wrong key is named as such', () => {
    const dir = tempDir();
    try {
      const box = keyFileBox(dir, { TIRKEU_SECRET_KEY: 'ab'.repeat(32) });
      const sealed = box.seal('пароль');
      expect(sealed).not.toContain('пароль');
      expect(box.open(sealed)).toBe('пароль');
      expect(fs.existsSync(keyFileOf(dir, {}))).toBe(false);
      expect(() => keyFileBox(dir, { TIRKEU_SECRET_KEY: 'cd'.repeat(32) }).open(sealed)).toThrow(/sealed with another key/);
      expect(() => keyFileBox(dir, { TIRKEU_SECRET_KEY: 'short' })).toThrow(/64 hexadecimal digits/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
