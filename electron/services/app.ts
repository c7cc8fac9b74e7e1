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

export interface AppContext {
  db: Db;
  clock: Clock;
  log: Logger;
  dataDir: string;
}

export interface OpenAppOptions {
  dataDir: string;
  clock?: Clock;
  log?: Logger;
}

export const DATABASE_FILE = 'tirkeu.sqlite';

/** Registers every domain's step-action handlers (idempotent: a second application in one process is fine). */
export function registerStepActions(): void {
  registerDispensaryStepActions();
}

export function openApp(options: OpenAppOptions): { app: AppContext; migrated: ReturnType<typeof openDatabase>['migrated'] } {
  registerStepActions();
  fs.mkdirSync(options.dataDir, { recursive: true });
  const log = options.log ?? createLogger(path.join(options.dataDir, 'tirkeu.log'), false, options.clock);
  const { db, migrated } = openDatabase(path.join(options.dataDir, DATABASE_FILE));
  if (migrated) log.info('db.migrated', { from: migrated.from, to: migrated.to, backup: migrated.backup });
  return { app: { db, clock: options.clock ?? systemClock, log, dataDir: options.dataDir }, migrated };
}

export function closeApp(app: AppContext): void {
  if (app.db.open) app.db.close();
}
