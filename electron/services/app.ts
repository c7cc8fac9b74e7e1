/**
 * The application context: one database connection, the clock, the logger and the data folder. The Electron
 * main process, the web host, the CLI and the tests all build the same context, so they run the same services.
 *
 * Opening the application also wires the domains into the generic workflow: the dispensary registers the handlers
 * of the step actions the regulation data declares (workflow/actions.ts), so the workflow imports no domain.
 */
import path from 'node:path';
import fs from 'node:fs';
import { openDatabase, type Db } from '../../db/connection';
import { systemClock, type Clock } from '../../common/clock';
import { registerDispensaryStepActions } from './dispensary/step-actions';
import { createLogger, type Logger } from './log';
import { sealPlainSecrets } from './sealed-settings';
import { keyFileBox, type SecretBox } from './secrets';

export interface AppContext {
  db: Db;
  clock: Clock;
  log: Logger;
  dataDir: string;
  /** Seals the secrets kept in the database (secrets.ts): the OS key store in the window, else a key file. */
  secrets: SecretBox;
}

export interface OpenAppOptions {
  dataDir: string;
  clock?: Clock;
  log?: Logger;
  /** The shell's OS key store box; absent = the key file outside the data folder (browser mode, the CLI, tests). */
  secrets?: SecretBox;
}

export const DATABASE_FILE = 'tirkeu.sqlite';

/** Registers every domain's step-action handlers (idempotent: a second application in one process is fine). */
export function registerStepActions(): void {
  registerDispensaryStepActions();
}

export function openApp(options: OpenAppOptions): { app: AppContext; migrated: ReturnType<typeof openDatabase>['migrated'] } {
  registerStepActions();
  // The data folder is the user's alone (0700; the database files are 0600: db/connection.ts). Windows ignores
  // the modes: there the folder's ACL under the user's profile does it.
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(options.dataDir, 0o700);
  const secrets = options.secrets ?? keyFileBox(options.dataDir);
  const log = options.log ?? createLogger(path.join(options.dataDir, 'tirkeu.log'), false, options.clock);
  const { db, migrated } = openDatabase(path.join(options.dataDir, DATABASE_FILE));
  if (migrated) log.info('db.migrated', { from: migrated.from, to: migrated.to, backup: migrated.backup });
  const app: AppContext = { db, clock: options.clock ?? systemClock, log, dataDir: options.dataDir, secrets };
  sealOlderSecrets(app);
  return { app, migrated };
}

/** Secrets an older version stored in the clear are sealed at the first open (sealed-settings.ts). */
function sealOlderSecrets(app: AppContext): void {
  const r = sealPlainSecrets(app, path.join(app.dataDir, 'backups'));
  if (r.sealed > 0 || r.backups.length > 0) app.log.info('secrets.sealed', { values: r.sealed, backups: r.backups, by: app.secrets.kind });
  if (r.failed.length > 0) app.log.warn('secrets.backups-not-sealed', { backups: r.failed });
}

export function closeApp(app: AppContext): void {
  if (app.db.open) app.db.close();
}
