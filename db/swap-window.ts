/**
 * The moment a register import's finishing step holds the workstation database's write lock: its swap
 * (db/people-load.ts), 3–5 s at 2,000,000 people, or its whole build for a first import into an empty register
 * (10–12 s). The desk's connection is synchronous, so a write that met the lock would stop the main thread's event
 * loop until the lock was free (busy_timeout) — every other call and, in the browser mode, the window with it — and
 * would fail with "nothing was saved" past the timeout.
 *
 * While a swap window is open the desk's connection does not wait for the lock at all: a write that meets it fails
 * at once with SQLITE_BUSY, nothing written (its transaction rolled back), and the dispatcher
 * (electron/services/dispatcher.ts) runs that call again when the window closes. Reads never meet the lock (WAL).
 * The sync engine and the e-request intake start no round while a window is open.
 */
import { holdSetting, type Db, type SettingHold } from './connection';

interface SwapWindow {
  /** The connection's busy timeout before the window, given back when it closes. */
  busyTimeout: number;
  closed: Promise<void>;
  close: () => void;
}

/** Open windows; a second import may be finishing too: the window closes after the last swap lets go. */
const windows = new WeakMap<Db, SettingHold<SwapWindow>>();
/** Windows opened on each connection so far: a call can tell whether one opened while it ran. */
const opened = new WeakMap<Db, number>();

/** Opens (or holds open) the swap window of `db`'s connection; the returned function releases this hold. */
export function openSwapWindow(db: Db): () => void {
  return holdSetting(
    windows,
    db,
    (): SwapWindow => {
      let close!: () => void;
      const closed = new Promise<void>((resolve) => (close = resolve));
      const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
      opened.set(db, (opened.get(db) ?? 0) + 1);
      db.pragma('busy_timeout = 0');
      return { busyTimeout, closed, close };
    },
    (window) => {
      if (db.open) db.pragma(`busy_timeout = ${window.busyTimeout}`);
      window.close();
    },
  );
}

/** Resolves when the swap window now open on `db` closes; null when none is open. */
export function swapWindowClosing(db: Db): Promise<void> | null {
  return windows.get(db)?.taken.closed ?? null;
}

/** How many swap windows have opened on `db` so far (compare two readings: one opened in between if they differ). */
export function swapWindowsOpened(db: Db): number {
  return opened.get(db) ?? 0;
}
