/**
 * A workstation enrolled straight into the bench's central server (no HTTP enrollment), as the sync benches need
 * it: its organization is the one it is enrolled in (the engine refuses to push for another), and its credential is
 * sealed the way enrollment seals it. `round` fails the bench when a round did not go through, so a figure can
 * never be the time of a round that was refused.
 */
import type { EnrollResponse } from '../common/sync-protocol';
import { enqueueOutbox } from '../db/outbox';
import { saveOrganization } from '../db/organization';
import { saveEnrollment } from '../db/sync';
import { openApp, type AppContext } from '../electron/services/app';
import { silentLogger } from '../electron/services/log';
import { DEMO_ORGANIZATION } from '../electron/services/demo-data';
import { sealCredential } from '../electron/services/sealed-settings';
import type { SyncEngine } from '../electron/services/sync/engine';
import type { ServerDb } from '../server/db';
import { createEnrollmentCode, enroll } from '../server/enrollment';

export async function enrolledDesk(dir: string, db: ServerDb, url: string, org: string): Promise<AppContext> {
  const { app } = openApp({ dataDir: dir, log: silentLogger });
  const { code } = await createEnrollmentCode(db, { orgBin: org });
  const e = (await enroll(db, code, 'bench')) as EnrollResponse;
  saveOrganization(app.db, { ...DEMO_ORGANIZATION, bin: org, workstationPrefix: e.workstation_code });
  saveEnrollment(
    app.db,
    { serverUrl: url, workstationId: e.workstation_id, orgBin: org, enrolledAt: app.clock().toISOString() },
    sealCredential(app, e.credential),
  );
  return app;
}

export async function round(engine: SyncEngine): Promise<void> {
  const r = await engine.syncOnce();
  if (!r.ok) throw new Error(`a bench sync round failed (${r.blocked}): ${r.error}`);
}

/** `n` outbox operations (visit records) tagged `tag`, in one transaction: a desk's backlog to push. */
export function queue(app: AppContext, n: number, tag: string): void {
  const at = app.clock();
  app.db.transaction(() => {
    for (let i = 0; i < n; i++)
      enqueueOutbox(
        app.db,
        {
          kind: 'visit.record',
          entity: 'visit',
          entityId: `${tag}-${i}`,
          payload: { tag, i, iin: '900101300123', service: 'therapist', note: 'қабылдау' },
        },
        at,
      );
  })();
}
