/** The renderer's clock follows the workstation's: every API answer carries the main process's now. */
import '../browser-globals';
import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../../../../renderer/src/api/client';
import { appNow, appToday, followWorkstationClock } from '../../../../renderer/src/shared/app-clock';

const g = globalThis as unknown as { window?: { tirkeu?: unknown } };
g.window ??= {};

afterEach(() => {
  delete g.window!.tirkeu;
  followWorkstationClock(new Date().toISOString());
});

describe('the renderer clock', () => {
  it('takes the workstation’s time from each answer, whatever the browser’s clock says', async () => {
    let workstationNow = Date.parse('2026-03-10T04:00:00Z'); // 09:00 in Astana on a pinned day
    g.window!.tirkeu = { call: async () => ({ ok: true, value: null, now: new Date(workstationNow).toISOString() }) };
    await call('session.current', {});
    expect(appToday('Asia/Almaty')).toBe('2026-03-10');
    expect(Math.abs(appNow() - workstationNow)).toBeLessThan(1_000);

    workstationNow += 36 * 3_600_000; // the workstation's day moves on: so does the screen's, at the next answer
    await call('session.current', {});
    expect(appToday('Asia/Almaty')).toBe('2026-03-11');
  });

  it('ignores an answer without a time (an older main process) and a malformed one', () => {
    followWorkstationClock('2030-01-01T00:00:00Z');
    const before = appNow();
    followWorkstationClock(undefined);
    followWorkstationClock('not a time');
    expect(Math.abs(appNow() - before)).toBeLessThan(1_000);
  });
});
