/**
 * The application context: one database connection, the clock, the logger and the data folder. The Electron
 * main process, the web host, the CLI and the tests all build the same context, so they run the same services.
 */
import path from 'node:path';
import fs from 'node:fs';
import { openDatabase, type Db } from '../../db/connection';
import { systemClock, type Clock } from '../../common/clock';
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

export function openApp(options: OpenAppOptions): { app: AppContext; migrated: ReturnType<typeof openDatabase>['migrated'] } {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const log = options.log ?? createLogger(path.join(options.dataDir, 'tirkeu.log'), false, options.clock);
  const { db, migrated } = openDatabase(path.join(options.dataDir, DATABASE_FILE));
  if (migrated) log.info('db.migrated', { from: migrated.from, to: migrated.to, backup: migrated.backup });
  return { app: { db, clock: options.clock ?? systemClock, log, dataDir: options.dataDir }, migrated };
}

export function closeApp(app: AppContext): void {
  if (app.db.open) app.db.close();
}
