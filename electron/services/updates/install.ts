/**
 * Installing a published update, only on the administrator's explicit request: refused while a cash shift is
 * open on this desk or a signature is being made; the installer is downloaded, checked against the manifest's
 * SHA-512 and size, written to <data>/updates/, and only then handed to the shell (electron/main.ts), which
 * launches it and quits. Without the Electron shell (browser mode, the CLI, tests) nothing launches it: the
 * answer says so and the verified file stays in the folder.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../common/errors';
import { compareVersions, installerOf } from '../../../common/update-manifest';
import { recordChange } from '../../../db/change';
import { openShifts } from '../../../db/dispensary';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { appVersion, fetchUpdateFile, installBlocker, publishedManifest, type UpdateSource } from './check';

/** What the shell does with a verified installer (launch it and quit); registered by electron/main.ts only. */
export type UpdateLauncher = (installerPath: string, version: string) => void | Promise<void>;

const launchers = new WeakMap<AppContext, UpdateLauncher>();

export function setUpdateLauncher(app: AppContext, launcher: UpdateLauncher | null): void {
  if (launcher) launchers.set(app, launcher);
  else launchers.delete(app);
}

export interface InstallResult {
  version: string;
  file: string;
  bytes: number;
  /** True when the shell took the installer over; false where there is no Electron shell to run it. */
  launched: boolean;
}

function refuseIfBusy(app: AppContext): void {
  const blocker = installBlocker(app);
  if (blocker === 'cash-shift') {
    const shift = openShifts(app.db)[0]!;
    throw new ApiError('update-shift-open', `cash shift ${shift.number} is open on this desk; close it before updating`, {
      number: shift.number,
    });
  }
  if (blocker === 'signing') throw new ApiError('update-signing', 'a signature is being made on this desk; update when it is done');
}

export function sha512Base64(bytes: Uint8Array): string {
  return createHash('sha512').update(bytes).digest('base64');
}

export async function installUpdate(app: AppContext, admin: StaffRow, opts: UpdateSource = {}): Promise<InstallResult> {
  refuseIfBusy(app);
  const current = opts.currentVersion ?? appVersion();
  const manifest = await publishedManifest(app, opts);
  if (!manifest || compareVersions(manifest.version, current) <= 0)
    throw new ApiError('update-none', `no version newer than ${current} is published`, { current });
  const installer = installerOf(manifest);
  const bytes = await fetchUpdateFile(app, installer.url, { ...opts, maxBytes: installer.size ?? 2 * 1024 ** 3 });
  if (!bytes) throw new ApiError('update-corrupt', `${installer.url} is listed in the manifest but the server does not have it`);
  if ((installer.size !== null && bytes.length !== installer.size) || sha512Base64(bytes) !== installer.sha512)
    throw new ApiError('update-corrupt', `${installer.url} does not match the SHA-512 in the manifest: nothing was installed`, {
      file: installer.url,
    });
  const dir = path.join(app.dataDir, 'updates');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, path.basename(installer.url));
  fs.writeFileSync(`${file}.part`, bytes, { mode: 0o600 });
  fs.renameSync(`${file}.part`, file);
  // The download may take minutes: a shift opened or a signature begun meanwhile still wins.
  refuseIfBusy(app);
  recordChange(app.db, { staffId: admin.id, login: admin.login, role: admin.role }, app.clock(), () => undefined, {
    audit: {
      action: 'updates.install',
      entity: 'application',
      entityId: manifest.version,
      details: { from: current, file: installer.url },
    },
  });
  const launcher = launchers.get(app);
  if (launcher) await launcher(file, manifest.version);
  app.log.info('updates.verified', { version: manifest.version, file: installer.url, launched: Boolean(launcher) });
  return { version: manifest.version, file: path.basename(file), bytes: bytes.length, launched: Boolean(launcher) };
}
