/**
 * Issue 13, point 6: the workstation's outbox does not grow forever. After a good sync round, operations the
 * server applied more than the retention (30 days) ago are deleted; newer ones and those the server rejected
 * (they stay with their sync issue) are kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueOutbox, listOutbox } from '../../../db/outbox';
import { getOrganization } from '../../../db/organization';
import { SyncEngine } from '../../../electron/services/sync/engine';
import { createTestWorkstation, type TestWorkstation } from '../../helpers/app';
import { realNow, TestClock } from '../../helpers/clock';
import { startTestServer, type TestServer } from '../../helpers/sync-server';

let s: TestServer;
let ws: TestWorkstation;
const clock = new TestClock(realNow());
beforeAll(async () => {
  s = await startTestServer('pglite');
  ws = createTestWorkstation({ population: 5, clock: clock.read });
  const admin = await ws.as('admin');
  await admin.call('sync.enroll', { serverUrl: s.url, code: await s.code(getOrganization(ws.app.db)!.bin) });
}, 60_000);
afterAll(async () => {
  ws?.close();
  await s?.close();
});

describe('pruning the outbox', () => {
  it('deletes applied operations older than the retention after a round, and keeps rejected ones', async () => {
    const engine = new SyncEngine(ws.app, { watchNetwork: false });
    const queue = (tag: string, n: number) => {
      for (let i = 0; i < n; i++)
        enqueueOutbox(ws.app.db, { kind: 'note.create', entity: 'note', entityId: `${tag}-${i}`, payload: { tag, i } }, clock.now);
    };
    queue('old', 5);
    enqueueOutbox(ws.app.db, { kind: 'NOT A KIND', entity: 'note', entityId: 'bad', payload: {} }, clock.now);
    expect((await engine.syncOnce()).ok).toBe(true);
    // (Enrollment queued the organization's profile for the server too: only this test's operations are counted.)
    const statuses = () =>
      listOutbox(ws.app.db)
        .filter((o) => o.kind !== 'org.profile')
        .map((o) => `${(o.payload as { tag?: string }).tag ?? 'bad'}:${o.status}`);
    expect(statuses()).toEqual([...Array(5).fill('old:applied'), 'bad:rejected']);

    clock.advance(20 * 86_400_000);
    queue('new', 2);
    expect((await engine.syncOnce()).ok).toBe(true);
    expect(statuses()).toHaveLength(8); // nothing is 30 days old yet

    clock.advance(11 * 86_400_000);
    expect((await engine.syncOnce()).ok).toBe(true);
    expect(statuses()).toEqual(['bad:rejected', 'new:applied', 'new:applied']);
  });
});
