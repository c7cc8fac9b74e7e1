/** The idle watcher behind the screen lock: activity restarts the count; silence for the set minutes locks once. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchIdle } from '../../../../renderer/src/shared/idle';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('watchIdle', () => {
  it('calls onIdle after the minutes without input, and any input restarts the count', () => {
    const target = new EventTarget() as unknown as Window;
    const onIdle = vi.fn();
    const w = watchIdle(target, () => 10, onIdle);
    vi.advanceTimersByTime(9 * 60_000);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(9 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(61_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    w.stop();
    target.dispatchEvent(new Event('mousedown'));
    vi.advanceTimersByTime(60 * 60_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('reads the organization’s minutes each time it arms (a change applies at the next activity)', () => {
    const target = new EventTarget() as unknown as Window;
    let minutes = 10;
    const onIdle = vi.fn();
    watchIdle(target, () => minutes, onIdle);
    minutes = 2;
    target.dispatchEvent(new Event('pointermove'));
    vi.advanceTimersByTime(2 * 60_000 + 1);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });
});
