/**
 * The idle watcher behind the screen lock (issue 14): any key, click, pointer movement or wheel restarts the count;
 * after the organization's idle minutes with none, `onIdle` runs once (until the next activity). The timers are the
 * browser's (the user's own inactivity is measured, not the workstation's clock).
 */
export interface IdleWatcher {
  stop(): void;
  /** Restarts the count (after unlocking). */
  reset(): void;
}

const EVENTS = ['keydown', 'mousedown', 'pointermove', 'wheel', 'touchstart'] as const;

export function watchIdle(
  target: Pick<Window, 'addEventListener' | 'removeEventListener'>,
  minutes: () => number,
  onIdle: () => void,
): IdleWatcher {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onIdle, Math.max(1, minutes()) * 60_000);
  };
  for (const e of EVENTS) target.addEventListener(e, arm, { passive: true });
  arm();
  return {
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      for (const e of EVENTS) target.removeEventListener(e, arm);
    },
    reset: arm,
  };
}
