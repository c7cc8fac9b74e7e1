/**
 * The settings that hold secrets, and only sealed (secrets.ts): the sync credential, the provider key's PIN or
 * password, and the provider key's PKCS#12 file (protected by its password, but the password used to lie next to
 * it). Every read and write of them goes through here, so no caller handles a sealed value by hand.
 *
 * Databases from before issue 14 hold them in the clear: `sealPlainSecrets` seals them at the first open with a
 * key, in the database and in the pre-migration backups beside it, with SQLite's secure_delete on (the old bytes
 * are zeroed, not left in free space) and a WAL checkpoint (no old frame keeps them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../../db/connection';
import { getSetting, setSetting } from '../../db/settings';
import { CREDENTIAL_KEY, getSealedCredential } from '../../db/sync';
import { isSealed, type SecretBox } from './secrets';
import type { SigningSource } from './signing-desk';

interface Sealer {
  db: Db;
  secrets: SecretBox;
}

// ---------------------------------------------------------------------------------------------------------------
// The sync credential

/** The workstation's credential in the clear, for a request to the central server; null when not enrolled. */
export function syncCredential(app: Sealer): string | null {
  const sealed = getSealedCredential(app.db);
  return sealed === null ? null : app.secrets.open(sealed);
}

export function sealCredential(app: Sealer, credential: string): string {
  return app.secrets.seal(credential);
}

// ---------------------------------------------------------------------------------------------------------------
// The provider key

export const PROVIDER_KEY = 'erequests.providerKey';
/** The PIN or password: its own setting key, sealed, never returned by any API method and never logged. */
export const PROVIDER_SECRET = 'erequests.providerSecret';

/** As stored: a PKCS#12 file's bytes are sealed (`fileSealed`); a PKCS#11 token is named only. */
type StoredSource = Exclude<SigningSource, { kind: 'pkcs12' }> | { kind: 'pkcs12'; fileName: string; fileSealed: string };
interface StoredProviderKey {
  source: StoredSource | SigningSource;
  keyId?: string;
}

export interface ProviderKeySetting {
  source: SigningSource;
  keyId?: string;
}

/** What the settings screen may show: the kind and a label, never the file or the secret. */
export function providerKeyLabel(app: Sealer): { kind: SigningSource['kind']; label: string; keyId: string | null } | null {
  const key = getSetting<StoredProviderKey>(app.db, PROVIDER_KEY);
  if (!key) return null;
  const s = key.source;
  return { kind: s.kind, label: s.kind === 'pkcs11' ? `${s.module} · ${s.token}` : s.fileName, keyId: key.keyId ?? null };
}

export function storeProviderKey(app: Sealer, key: ProviderKeySetting, secret: string): void {
  setSetting(app.db, PROVIDER_KEY, sealedKey(app.secrets, key));
  setSetting(app.db, PROVIDER_SECRET, app.secrets.seal(secret));
}

/** The provider key with its file and secret opened, for signing; null until configured. */
export function openProviderKey(app: Sealer): (ProviderKeySetting & { secret: string }) | null {
  const key = getSetting<StoredProviderKey>(app.db, PROVIDER_KEY);
  const secret = getSetting<string>(app.db, PROVIDER_SECRET);
  if (!key || secret === undefined) return null;
  const s = key.source;
  const source: SigningSource =
    s.kind === 'pkcs12' && 'fileSealed' in s
      ? { kind: 'pkcs12', fileName: s.fileName, fileBase64: app.secrets.open(s.fileSealed) }
      : (s as SigningSource);
  return { source, ...(key.keyId ? { keyId: key.keyId } : {}), secret: app.secrets.open(secret) };
}

function sealedKey(box: SecretBox, key: ProviderKeySetting | StoredProviderKey): StoredProviderKey {
  const s = key.source;
  const source: StoredSource =
    s.kind === 'pkcs12' && 'fileBase64' in s
      ? { kind: 'pkcs12', fileName: s.fileName, fileSealed: box.seal(s.fileBase64) }
      : (s as StoredSource);
  return { source, ...(key.keyId ? { keyId: key.keyId } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Sealing what an older version stored in the clear

/** Seals every plain secret of one database; returns how many values it sealed. */
export function sealPlainSecretsIn(db: Db, box: SecretBox): number {
  let sealed = 0;
  db.transaction(() => {
    for (const k of [CREDENTIAL_KEY, PROVIDER_SECRET]) {
      const v = getSetting<string>(db, k);
      if (typeof v === 'string' && !isSealed(v)) {
        setSetting(db, k, box.seal(v));
        sealed++;
      }
    }
    const key = getSetting<StoredProviderKey>(db, PROVIDER_KEY);
    if (key && key.source.kind === 'pkcs12' && 'fileBase64' in key.source) {
      setSetting(db, PROVIDER_KEY, sealedKey(box, key));
      sealed++;
    }
  }).immediate();
  if (sealed > 0) db.pragma('wal_checkpoint(TRUNCATE)');
  return sealed;
}

/**
 * The database's and its backups' plain secrets, sealed. A backup is opened as it is (never migrated), and one
 * that cannot be opened is left and reported: the application still starts.
 */
export function sealPlainSecrets(app: Sealer, backupsDir: string): { sealed: number; backups: string[]; failed: string[] } {
  const sealed = sealPlainSecretsIn(app.db, app.secrets);
  const backups: string[] = [];
  const failed: string[] = [];
  // Only at the open that found plain values: the backups made before it are the ones that may hold them too.
  if (sealed > 0 && fs.existsSync(backupsDir)) {
    for (const name of fs.readdirSync(backupsDir).filter((n) => n.endsWith('.bak'))) {
      const file = path.join(backupsDir, name);
      try {
        const { db } = openDatabase(file, { migrate: false });
        try {
          if (sealPlainSecretsIn(db, app.secrets) > 0) backups.push(name);
        } finally {
          db.close();
        }
      } catch {
        failed.push(name);
      }
    }
  }
  return { sealed, backups, failed };
}
