/**
 * Sync services for the API handlers and the processes that run the loop (Electron main, `tirkeu serve`).
 * One engine per application context.
 */
import { getEnrollment, listSyncIssues } from '../../../db/sync';
import type { AppContext } from '../app';
import { SyncEngine, type RoundResult, type SyncEngineOptions } from './engine';

const engines = new WeakMap<AppContext, SyncEngine>();

export function syncEngineFor(app: AppContext, options?: SyncEngineOptions): SyncEngine {
  let engine = engines.get(app);
  if (!engine) {
    engine = new SyncEngine(app, options);
    engines.set(app, engine);
  }
  return engine;
}

/** Starts the background loop for this context (idempotent). */
export function startSync(app: AppContext, options?: SyncEngineOptions): SyncEngine {
  const engine = syncEngineFor(app, options);
  engine.start();
  return engine;
}

export async function stopSync(app: AppContext): Promise<void> {
  await engines.get(app)?.stop();
}

export function status(app: AppContext) {
  return syncEngineFor(app).status();
}

export function issues(app: AppContext) {
  return listSyncIssues(app.db);
}

export async function syncNow(app: AppContext): Promise<RoundResult> {
  return syncEngineFor(app).syncOnce();
}

export { enroll, previewEnrollment } from './enrollment';
export { getEnrollment };
