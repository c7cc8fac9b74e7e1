/**
 * Sync services for the API handlers and the processes that run the loop (Electron main, `tirkeu serve`).
 * One engine per application context.
 */
import { ApiError } from '../../../common/errors';
import { recordChange } from '../../../db/change';
import type { StaffRow } from '../../../db/staff';
import { getEnrollment, listSyncIssues, resolveSyncIssue } from '../../../db/sync';
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

/** Whether this context's background loop runs (a restore pauses it: services/admin/backups.ts). */
export function syncRunning(app: AppContext): boolean {
  return engines.get(app)?.isRunning ?? false;
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

/** Someone dealt with an issue (called the patient back, re-entered what was refused): it leaves the open list. */
export function resolveIssue(app: AppContext, actor: StaffRow, id: number): { ok: true } {
  const now = app.clock();
  recordChange(
    app.db,
    { staffId: actor.id, login: actor.login, role: actor.role },
    now,
    () => {
      if (!resolveSyncIssue(app.db, id, now)) throw new ApiError('not-found', `no open sync issue ${id}`, { id });
    },
    { audit: { action: 'sync.issue-resolved', entity: 'sync_issue', entityId: id } },
  );
  return { ok: true };
}

export async function syncNow(app: AppContext): Promise<RoundResult> {
  return syncEngineFor(app).syncOnce();
}

export { enroll, previewEnrollment } from './enrollment';
export { getEnrollment };
