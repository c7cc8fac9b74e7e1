/**
 * The swap window of a register import (db/swap-window.ts) on a real database file: while it is open the desk's
 * connection does not wait for the write lock — a write that meets it fails at once, nothing written — and the
 * connection's busy timeout comes back when the last swap holding the window lets it go.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../db/connection';
import { openSwapWindow, swapWindowClosing, swapWindowsOpened } from '../../../db/swap-window';
import { tempDir } from '../../helpers/app';

const open: Array<{ close(): void }> = [];
const dirs: string[] = [];
afterEach(() => {
  open.splice(0).forEach((c) => c.close());
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function twoConnections(): { desk: Db; swap: Database.Database } {
  const dir = tempDir('tirkeu-swap-window-');
  dirs.push(dir);
  const file = path.join(dir, 'w.sqlite');
  const { db: desk } = openDatabase(file);
  desk.exec('CREATE TABLE note (x INTEGER)');
  const swap = new Database(file);
  open.push(swap, desk);
  return { desk, swap };
}

describe('the swap window', () => {
  it('makes a write that meets the lock fail at once with nothing written, and gives the timeout back after', async () => {
    const { desk, swap } = twoConnections();
    expect(desk.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(swapWindowClosing(desk)).toBeNull();
    const before = swapWindowsOpened(desk);

    const release = openSwapWindow(desk);
    expect(swapWindowsOpened(desk)).toBe(before + 1);
    const closing = swapWindowClosing(desk)!;
    expect(closing).toBeInstanceOf(Promise);
    swap.exec('BEGIN IMMEDIATE; INSERT INTO note VALUES (1)'); // the swap's transaction holds the lock
    const t = performance.now();
    expect(() => desk.prepare('INSERT INTO note VALUES (2)').run()).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    expect(performance.now() - t).toBeLessThan(1000); // at once, not after the 5 s timeout
    expect(desk.prepare('SELECT count(*) FROM note').pluck().get()).toBe(0); // reads go on (WAL)
    swap.exec('COMMIT');

    let closed = false;
    void closing.then(() => (closed = true));
    release();
    await closing;
    expect(closed).toBe(true);
    expect(swapWindowClosing(desk)).toBeNull();
    expect(desk.pragma('busy_timeout', { simple: true })).toBe(5000);
    desk.prepare('INSERT INTO note VALUES (3)').run();
    expect(desk.prepare('SELECT x FROM note ORDER BY x').pluck().all()).toEqual([1, 3]);
  });

  it('stays open until the last of two swaps holding it lets go', async () => {
    const { desk } = twoConnections();
    const first = openSwapWindow(desk);
    const second = openSwapWindow(desk);
    const closing = swapWindowClosing(desk)!;
    first();
    first(); // a second call of the same release changes nothing
    expect(swapWindowClosing(desk)).toBe(closing);
    expect(desk.pragma('busy_timeout', { simple: true })).toBe(0);
    second();
    await closing;
    expect(desk.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});
