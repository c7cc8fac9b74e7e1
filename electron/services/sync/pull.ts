/**
 * The pull phase: the organization's change log from this desk's cursor to its end, page by page. A page small
 * enough lands with its cursor in one transaction; a larger one a slice at a time, staged with its first slice and
 * finished with its cursor by its last (db/sync-slices.ts), with the event loop free between slices so the desk's
 * API calls never wait for a whole page.
 */
import type { PullResponse } from '../../../common/sync-protocol';
import { getCursor, updateSyncState, type PageApplied } from '../../../db/sync';
import { applyPulledSlice, stagedPage, type StagedPage } from '../../../db/sync-slices';
import { invalidateCalendar, invalidateCatalog } from '../workflow/context';
import type { RoundIo } from './round';
import { SliceSizer, yieldToEventLoop } from './slices';

/** Pulls to the end of the log; returns the number of rows pulled. */
export async function pullToEnd(io: RoundIo, pageRows: number): Promise<number> {
  const { db, clock } = io;
  const sizer = new SliceSizer();
  let pulled = 0;
  // A page a crash (or a failed round) left half applied is finished first: its cursor is where the next page starts.
  const staged = stagedPage(db);
  if (staged) {
    await applyInSlices(io, staged.page, staged.applied, sizer);
    pulled += staged.page.rows.length - staged.applied;
  }
  let cursor = getCursor(db) ?? '';
  let start: number | null = null;
  for (;;) {
    const sentAt = clock().getTime();
    const res = await io.send('GET', `/v1/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=${pageRows}`);
    io.check(res);
    const page = JSON.parse(res.body) as PullResponse;
    io.serverTime(page.server_time, sentAt);
    // The parse above took its time: the desk's calls go first.
    await yieldToEventLoop();
    await applyInSlices(io, page, 0, sizer, res.body);
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

/**
 * Applies a page from row `from` on, a slice per transaction. A page of one slice lands with its cursor at once; the
 * first of several stages the page's `text` when given.
 */
async function applyInSlices(io: RoundIo, page: StagedPage, from: number, sizer: SliceSizer, text?: string): Promise<void> {
  const total = page.rows.length;
  let at = from;
  for (;;) {
    const to = Math.min(total, at + sizer.next());
    const stage = at === from && to < total ? text : undefined;
    const slice = { rows: page.rows.slice(at, to), to, total, cursor: page.cursor, ...(stage !== undefined ? { stage } : {}) };
    afterApplied(io, applyPulledSlice(io.db, slice, io.clock(), sizer.timer(to - at)));
    at = to;
    if (at >= total) return;
    await yieldToEventLoop();
  }
}

/** The working calendar, the organization's zone and the service catalog are cached: another desk changed them. */
function afterApplied(io: RoundIo, applied: PageApplied): void {
  if (applied.shared.calendar || applied.shared.organization) invalidateCalendar({ db: io.db });
  if (applied.shared.organization || applied.shared['regulation-file'] || applied.shared['regulation-adoption'])
    invalidateCatalog({ db: io.db });
}
