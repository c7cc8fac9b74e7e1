/**
 * What the central server publishes for this workstation (issue 17 point 5): its latest*.yml for this platform,
 * read with the sync enrollment's address and credential, compared with this application's version. Plain Node,
 * no Electron: the shell only launches the installer (./install.ts hands it over).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../common/errors';
import {
  compareVersions,
  installerOf,
  ManifestError,
  manifestName,
  NOTES_FILE,
  parseUpdateManifest,
  type UpdateManifest,
} from '../../../common/update-manifest';
import { HEADER_PROTOCOL, SYNC_PROTOCOL } from '../../../common/sync-protocol';
import { getEnrollment } from '../../../db/sync';
import { openShifts } from '../../../db/dispensary';
import type { AppContext } from '../app';
import { PROJECT_ROOT } from '../paths';
import { syncCredential } from '../sealed-settings';
import { signaturesInProgress } from '../signing-desk';
import { NetworkError, requestBytes } from '../sync/http';

export interface UpdateCheck {
  current: string;
  /** The newer version the server publishes, or null when this desk is up to date. */
  available: string | null;
  notes: string | null;
  /** The installer's size in bytes, as the manifest gives it. */
  size: number | null;
  releaseDate: string | null;
  /** Why installing would be refused right now (the screen shows it before the administrator tries). */
  blockedBy: 'cash-shift' | 'signing' | null;
}

export interface UpdateSource {
  /** This application's version (default: package.json's). */
  currentVersion?: string;
  platform?: string;
  timeoutMs?: number;
}

let packageVersion: string | null = null;

/** The running application's version: package.json's `version` (the one electron-builder stamps on installers). */
export function appVersion(): string {
  packageVersion ??= (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return packageVersion;
}

/** Fetches one published update file with this desk's credential; null when the server has no such file. */
export async function fetchUpdateFile(
  app: AppContext,
  file: string,
  opts: UpdateSource & { maxBytes?: number } = {},
): Promise<Buffer | null> {
  const enrollment = getEnrollment(app.db);
  const credential = enrollment ? syncCredential(app) : null;
  if (!enrollment || !credential)
    throw new ApiError('update-not-enrolled', 'updates come from the central server; this workstation is not enrolled with one');
  let res;
  try {
    res = await requestBytes('GET', `${enrollment.serverUrl}/v1/updates/${encodeURIComponent(file)}`, {
      headers: { authorization: `Bearer ${credential}`, [HEADER_PROTOCOL]: String(SYNC_PROTOCOL), accept: '*/*' },
      timeoutMs: opts.timeoutMs ?? 120_000,
      maxBytes: opts.maxBytes,
    });
  } catch (e) {
    if (e instanceof NetworkError) throw new ApiError('server-unreachable', e.message);
    throw e;
  }
  if (res.status === 404) return null;
  if (res.status === 401 || res.status === 403)
    throw new ApiError('update-unauthorized', 'the central server refused this workstation’s credential (revoked?); enroll again');
  if (res.status !== 200) throw new ApiError('server-unreachable', `the central server answered ${res.status} for ${file}`);
  return res.body;
}

/** The published manifest for this platform, or null when none is published. */
export async function publishedManifest(app: AppContext, opts: UpdateSource = {}): Promise<UpdateManifest | null> {
  const name = manifestName(opts.platform ?? process.platform);
  const bytes = await fetchUpdateFile(app, name, { ...opts, maxBytes: 1 << 20 });
  if (!bytes) return null;
  try {
    const manifest = parseUpdateManifest(bytes.toString('utf8'));
    if (manifest.notes === null) {
      const notes = await fetchUpdateFile(app, NOTES_FILE, { ...opts, maxBytes: 1 << 20 });
      if (notes) manifest.notes = notes.toString('utf8').trim() || null;
    }
    return manifest;
  } catch (e) {
    if (e instanceof ManifestError)
      throw new ApiError('update-manifest-invalid', `${name} on the server is not a valid update manifest: ${e.message}`, {
        field: e.field,
      });
    throw e;
  }
}

/** Why an update may not be installed now, or null. A shift's cash journal and a token's PIN dialog come first. */
export function installBlocker(app: AppContext): UpdateCheck['blockedBy'] {
  if (openShifts(app.db).length > 0) return 'cash-shift';
  if (signaturesInProgress(app) > 0) return 'signing';
  return null;
}

export async function checkForUpdate(app: AppContext, opts: UpdateSource = {}): Promise<UpdateCheck> {
  const current = opts.currentVersion ?? appVersion();
  const manifest = await publishedManifest(app, opts);
  const newer = manifest !== null && compareVersions(manifest.version, current) > 0;
  return {
    current,
    available: newer ? manifest.version : null,
    notes: newer ? manifest.notes : null,
    size: newer ? installerOf(manifest).size : null,
    releaseDate: newer ? manifest.releaseDate : null,
    blockedBy: installBlocker(app),
  };
}
