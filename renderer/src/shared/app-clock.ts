/**
 * The renderer's clock is the workstation's clock. Every API answer carries the main process's `now` (its one
 * injected clock), and the renderer keeps the difference to its own: countdowns, "today" and date defaults follow
 * the application's time, not the browser's, so a screen never mixes two notions of now (and a test that runs
 * the workstation on a test clock sees the same time on screen). Until the first answer it is the browser's time.
 */
let offsetMs = 0;

/** Called by the API client with the `now` of each answer. */
export function followWorkstationClock(nowIso: string | undefined): void {
  if (!nowIso) return;
  const at = Date.parse(nowIso);
  if (!Number.isNaN(at)) offsetMs = at - Date.now();
}

/** The workstation's time now, in epoch milliseconds. */
export function appNow(): number {
  return Date.now() + offsetMs;
}

/** The local calendar date (YYYY-MM-DD) of the workstation's now in a zone. */
export function appToday(timeZone: string): string {
  return new Date(appNow()).toLocaleDateString('sv-SE', { timeZone });
}
