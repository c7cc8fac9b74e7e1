/**
 * The pull phase: the organization's change log from this desk's cursor to its end, page by page; each page lands
 * with its cursor in one transaction (db/sync.ts applyPulledPage).
 */
import type { PullResponse } from '../../../common/sync-protocol';
import { applyPulledPage, getCursor, updateSyncState } from '../../../db/sync';
import { invalidateCalendar, invalidateCatalog } from '../workflow/context';
import { yieldToEventLoop, type RoundIo } from './round';

/** Pulls to the end of the log; returns the number of rows pulled. */
export async function pullToEnd(io: RoundIo, pageRows: number): Promise<number> {
  const { db, clock } = io;
  let cursor = getCursor(db) ?? '';
  let start: number | null = null;
  let pulled = 0;
  for (;;) {
    const sentAt = clock().getTime();
    const res = await io.send('GET', `/v1/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=${pageRows}`);
    io.check(res);
    const page = JSON.parse(res.body) as PullResponse;
    io.serverTime(page.server_time, sentAt);
    const applied = applyPulledPage(db, page.rows, page.cursor, clock());
    // The working calendar and the organization's zone are cached: another desk changed them.
    if (applied.shared.calendar || applied.shared.organization) invalidateCalendar({ db });
    if (applied.shared.organization || applied.shared['regulation-file'] || applied.shared['regulation-adoption'])
      invalidateCatalog({ db });
    cursor = page.cursor;
    pulled += page.rows.length;
    io.markOnline();
    start ??= page.position - page.rows.length;
    io.progress({ phase: 'pull', done: page.position - start, total: page.head - start });
    updateSyncState(db, { pullPosition: page.position, pullHead: page.head });
    if (!page.more) break;
    await yieldToEventLoop();
  }
  return pulled;
}
