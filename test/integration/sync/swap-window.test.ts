/**
 * The sync engine starts no round while a register import's swap holds the workstation database's write lock
 * (db/swap-window.ts): the round would meet the lock with every write it makes. It starts when the swap is over.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openSwapWindow } from '../../../db/swap-window';
import { syncNow } from '../../../electron/services/sync';
import { createTestWorkstation, type TestWorkstation } from '../../helpers/app';

let ws: TestWorkstation | null = null;
afterEach(() => {
  ws?.close();
  ws = null;
});

describe('a sync round and a register swap', () => {
  it('waits for the swap to end before it starts', async () => {
    ws = createTestWorkstation();
    expect(await syncNow(ws.app)).toMatchObject({ blocked: 'not-enrolled' }); // at once, with no swap

    const release = openSwapWindow(ws.app.db);
    let settled = false;
    const round = syncNow(ws.app).then((r) => ((settled = true), r));
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).toBe(false);
    release();
    expect(await round).toMatchObject({ blocked: 'not-enrolled' });
  });
});
