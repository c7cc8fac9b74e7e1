/**
 * Issue 17 point 5: application updates for a clinic network. A real central server serves a folder of published
 * update files (latest-linux.yml + an installer, as electron-builder's generic provider lays them out) to an
 * enrolled workstation, which sees the new version and its notes, and installs only with the administrator's
 * consent, never during a cash shift, and only a file that matches the manifest's SHA-512.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manifestName } from '../../../common/update-manifest';
import { getEnrollment } from '../../../db/sync';
import { appVersion } from '../../../electron/services/updates/check';
import { installUpdate, setUpdateLauncher } from '../../../electron/services/updates/install';
import { installBlocker } from '../../../electron/services/updates/check';
import { signatureCheck } from '../../../electron/services/signing-desk';
import { findStaffByLogin } from '../../../db/staff';
import { createTestPki } from '../../helpers/pki';
import { rejection } from '../../helpers/api-errors';
import { revokeWorkstation } from '../../../server/enrollment';
import { resolveConfig } from '../../../server/main';
import { createTestWorkstation, tempDir, type TestWorkstation } from '../../helpers/app';
import { refusal } from '../../helpers/api-errors';
import { enrolledWorkstation, startTestServer, type TestServer } from '../../helpers/sync-server';

let s: TestServer;
let updatesDir: string;
const open: TestWorkstation[] = [];
const manifest = manifestName(process.platform);
const current = appVersion();
const newer = `${Number(current.split('.')[0]) + 1}.0.0`;

beforeAll(async () => {
  updatesDir = tempDir('tirkeu-updates-');
  s = await startTestServer('pglite', undefined, { updatesDir });
}, 60_000);
afterAll(async () => {
  open.forEach((w) => w.close());
  await s?.close();
});
beforeEach(() => {
  for (const f of fs.readdirSync(updatesDir)) fs.rmSync(path.join(updatesDir, f));
});

/** What electron-builder writes for one installer: the file and its manifest (with release notes as a block). */
function publish(version: string, opts: { notes?: string | null; content?: Buffer; notesFile?: string } = {}): Buffer {
  const content = opts.content ?? Buffer.from(`fake installer of Tirkeu ${version}\n`.repeat(1000));
  const name = `Tirkeu-${version}.AppImage`;
  fs.writeFileSync(path.join(updatesDir, name), content);
  const sha512 = createHash('sha512').update(content).digest('base64');
  const notes = opts.notes === undefined ? 'Жаңа: анықтамалар жылдамырақ басылады.\nНовое: справки печатаются быстрее.' : opts.notes;
  const yml = [
    `version: ${version}`,
    'files:',
    `  - url: ${name}`,
    `    sha512: ${sha512}`,
    `    size: ${content.length}`,
    '    blockMapSize: 1234',
    `path: ${name}`,
    `sha512: ${sha512}`,
    "releaseDate: '2026-12-01T10:00:00.000Z'",
    ...(notes ? ['releaseNotes: |-', ...notes.split('\n').map((l) => `  ${l}`)] : []),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(updatesDir, manifest), yml);
  if (opts.notesFile) fs.writeFileSync(path.join(updatesDir, 'release-notes.txt'), opts.notesFile);
  return content;
}

async function desk(): Promise<TestWorkstation> {
  const ws = await enrolledWorkstation(s.url, s.code);
  open.push(ws);
  return ws;
}

async function get(file: string, credential: string | null): Promise<Response> {
  return fetch(`${s.url}/v1/updates/${file}`, {
    headers: { 'x-tirkeu-protocol': '99', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
  });
}

describe('a published update', () => {
  it('the desk sees the newer version, its notes and size; the same version is nothing to install', async () => {
    const ws = await desk();
    const admin = await ws.as('admin');
    expect(await admin.call('updates.check', {})).toMatchObject({ current, available: null, blockedBy: null });

    const content = publish(newer);
    expect(await admin.call('updates.check', {})).toEqual({
      current,
      available: newer,
      notes: 'Жаңа: анықтамалар жылдамырақ басылады.\nНовое: справки печатаются быстрее.',
      size: content.length,
      releaseDate: '2026-12-01T10:00:00.000Z',
      blockedBy: null,
    });

    publish(current);
    expect(await admin.call('updates.check', {})).toMatchObject({ current, available: null, notes: null });
    expect(await refusal(admin, 'updates.install', { confirm: true })).toMatchObject({ code: 'update-none' });
    // Only the administrator, and only with an explicit confirmation.
    expect((await refusal(await ws.as('registrar'), 'updates.check', {})).code).toBe('forbidden');
    expect((await refusal(admin, 'updates.install', {})).code).toBe('validation');
  });

  it('notes may come from release-notes.txt beside the manifest', async () => {
    const admin = await (await desk()).as('admin');
    publish(newer, { notes: null, notesFile: 'Жаңарту / Обновление\n' });
    expect((await admin.call('updates.check', {})).notes).toBe('Жаңарту / Обновление');
  });

  it('a tampered installer fails the SHA-512 check and nothing is handed over', async () => {
    const ws = await desk();
    const admin = await ws.as('admin');
    let launched: string | null = null;
    setUpdateLauncher(ws.app, (file) => void (launched = file));
    const content = publish(newer);
    const tampered = Buffer.from(content);
    tampered[10] = tampered[10]! ^ 0xff; // same size, other bytes
    fs.writeFileSync(path.join(updatesDir, `Tirkeu-${newer}.AppImage`), tampered);
    expect(await refusal(admin, 'updates.install', { confirm: true })).toMatchObject({ code: 'update-corrupt' });
    expect(launched).toBeNull();
    expect(fs.existsSync(path.join(ws.dir, 'updates', `Tirkeu-${newer}.AppImage`))).toBe(false);
  });

  it('install is refused while a cash shift is open and goes ahead once it is closed', async () => {
    const ws = await desk();
    const admin = await ws.as('admin');
    const cashier = await ws.as('cashier');
    const content = publish(newer);
    const shift = await cashier.call('cash.openShift', {});
    expect((await admin.call('updates.check', {})).blockedBy).toBe('cash-shift');
    const refused = await refusal(admin, 'updates.install', { confirm: true });
    expect(refused).toMatchObject({ code: 'update-shift-open', params: { number: shift.number } });

    await cashier.call('cash.closeShift', {});
    // No Electron shell here: the verified installer is kept and the answer says nothing launched it.
    expect(await admin.call('updates.install', { confirm: true })).toEqual({
      version: newer,
      file: `Tirkeu-${newer}.AppImage`,
      bytes: content.length,
      launched: false,
    });
    expect(fs.readFileSync(path.join(ws.dir, 'updates', `Tirkeu-${newer}.AppImage`)).equals(content)).toBe(true);

    // With the shell's launcher registered, the verified file is what it receives.
    const handed: Array<[string, string]> = [];
    setUpdateLauncher(ws.app, (file, version) => void handed.push([file, version]));
    expect((await admin.call('updates.install', { confirm: true })).launched).toBe(true);
    expect(handed).toEqual([[path.join(ws.dir, 'updates', `Tirkeu-${newer}.AppImage`), newer]]);
  });
});

describe('a signature in progress', () => {
  it('holds the install back until the signature is made', async () => {
    const ws = await desk();
    const pki = createTestPki({ clock: ws.app.clock });
    try {
      ws.app.db.prepare('UPDATE staff SET iin = ? WHERE login = ?').run(pki.physicianIin, 'therapist');
      const therapist = findStaffByLogin(ws.app.db, 'therapist')!;
      const admin = findStaffByLogin(ws.app.db, 'admin')!;
      publish(newer);
      const source = { kind: 'pkcs12' as const, fileName: 'physician.p12', fileBase64: fs.readFileSync(pki.p12.path).toString('base64') };
      // The signature starts (the key file is being opened and used) and the administrator asks to install meanwhile.
      const signing = signatureCheck(ws.app, therapist, { source, secret: pki.p12.password });
      expect(installBlocker(ws.app)).toBe('signing');
      expect(await rejection(installUpdate(ws.app, admin))).toMatchObject({ code: 'update-signing' });
      expect((await signing).verified).toBe(true);
      expect(installBlocker(ws.app)).toBeNull();
      expect((await installUpdate(ws.app, admin)).version).toBe(newer);
    } finally {
      pki.cleanup();
    }
  });
});

describe('who gets the files', () => {
  it('an unenrolled desk is told to enroll; a revoked or wrong credential gets nothing', async () => {
    publish(newer);
    const lone = createTestWorkstation({ population: 0 });
    open.push(lone);
    expect((await refusal(await lone.as('admin'), 'updates.check', {})).code).toBe('update-not-enrolled');

    expect((await get(manifest, null)).status).toBe(401);
    expect((await get(manifest, 'not-a-credential')).status).toBe(401);
    expect((await get(`Tirkeu-${newer}.AppImage`, 'not-a-credential')).status).toBe(401);

    const ws = await desk();
    await revokeWorkstation(s.db, getEnrollment(ws.app.db)!.workstationId, ws.app.clock());
    expect((await refusal(await ws.as('admin'), 'updates.check', {})).code).toBe('update-unauthorized');
  });

  it('the folder comes from --updates-dir (none given: nothing is published)', () => {
    expect(resolveConfig(['--updates-dir', 'rel/updates'], {}).updatesDir).toBe(path.resolve('rel/updates'));
    expect(resolveConfig([], {}).updatesDir).toBeUndefined();
  });

  it('only the manifests and the files they list are served; a path out of the folder is refused', async () => {
    const ws = await desk();
    // The enrolled desk's own credential, to show that even it cannot leave the folder.
    const { syncCredential } = await import('../../../electron/services/sealed-settings');
    const credential = syncCredential(ws.app)!;
    const content = publish(newer);
    fs.writeFileSync(path.join(updatesDir, 'secret.txt'), 'not published');
    fs.writeFileSync(path.join(path.dirname(updatesDir), 'outside.txt'), 'outside');

    const ok = await get(`Tirkeu-${newer}.AppImage`, credential);
    expect(ok.status).toBe(200);
    expect(Buffer.from(await ok.arrayBuffer()).equals(content)).toBe(true);
    expect((await get(manifest, credential)).status).toBe(200);
    expect((await get('secret.txt', credential)).status).toBe(404);
    expect((await get('nothing.yml', credential)).status).toBe(404);
    for (const evil of ['..%2Foutside.txt', '%2E%2E%2Foutside.txt', '..%5Coutside.txt', '%2Fetc%2Fpasswd', '..'])
      expect([400, 404], evil).toContain((await get(evil, credential)).status);
    expect((await get('..%2Foutside.txt', credential)).status).toBe(400);
  });
});
