/**
 * Sync services for the API handlers and the processes that run the loop (Electron main, `tirkeu serve`).
 * One engine per application context.
 */
import { ApiError } from '../../../common/errors';
import type { EnrollResponse } from '../../../common/sync-protocol';
import { recordChange } from '../../../db/change';
import { getEnrollment, listSyncIssues, saveEnrollment } from '../../../db/sync';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { SyncEngine, type RoundResult, type SyncEngineOptions } from './engine';
import { checkServerUrl, NetworkError, request } from './http';

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

/** Exchanges a one-time enrollment code for this workstation's own credential and saves it. */
export async function enroll(app: AppContext, actor: StaffRow, serverUrl: string, code: string) {
  const checked = checkServerUrl(serverUrl);
  if (!checked.ok) throw new ApiError('validation', `serverUrl: ${checked.reason}`, undefined, ['serverUrl']);
  let res;
  try {
    res = await request('POST', `${checked.url}/v1/enroll`, {
      body: JSON.stringify({ code, name: `workstation ${app.dataDir.slice(-40)}` }),
      timeoutMs: 15_000,
    });
  } catch (error) {
    if (error instanceof NetworkError) throw new ApiError('internal', `the central server cannot be reached: ${error.message}`);
    throw error;
  }
  if (res.status === 403) throw new ApiError('bad-credentials', 'the enrollment code is wrong, already used or expired');
  if (res.status !== 200) throw new ApiError('internal', `the central server answered HTTP ${res.status}`);
  const answer = JSON.parse(res.body) as EnrollResponse;
  const now = app.clock();
  recordChange(
    app.db,
    { staffId: actor.id, login: actor.login, role: actor.role },
    now,
    () =>
      saveEnrollment(
        app.db,
        { serverUrl: checked.url, workstationId: answer.workstation_id, orgBin: answer.org_bin, enrolledAt: now.toISOString() },
        answer.credential,
      ),
    {
      audit: {
        action: 'sync.enroll',
        entity: 'workstation',
        entityId: answer.workstation_id,
        details: { serverUrl: checked.url, orgBin: answer.org_bin },
      },
    },
  );
  app.log.info('sync.enrolled', { serverUrl: checked.url, workstationId: answer.workstation_id });
  syncEngineFor(app).wake();
  return { workstationId: answer.workstation_id, orgBin: answer.org_bin, serverUrl: checked.url };
}

export { getEnrollment };
