/** useBusyAction: one action at a time, failures as text in the user's language, never thrown. */
import '../browser-globals';
import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { ApiCallError } from '../../../../renderer/src/api/client';
import { i18n } from '../../../../renderer/src/i18n';
import { useBusyAction } from '../../../../renderer/src/shared/busy-action';

i18n.global.locale.value = 'en';

/** A promise the test settles when it wants to. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('useBusyAction', () => {
  it('is busy while the action runs and gives back its result', async () => {
    const { busy, error, run } = useBusyAction();
    const d = deferred<number>();
    const running = run(() => d.promise);
    expect(busy.value).toBe(true);
    d.resolve(7);
    expect(await running).toBe(7);
    expect(busy.value).toBe(false);
    expect(error.value).toBe('');
  });

  it('ignores a second action while the first runs (a double click)', async () => {
    const { run } = useBusyAction();
    const d = deferred<string>();
    let calls = 0;
    const first = run(() => (calls++, d.promise));
    expect(await run(async () => (calls++, 'second'))).toBeUndefined();
    d.resolve('first');
    expect(await first).toBe('first');
    expect(calls).toBe(1);
  });

  it("turns a failure into the error code's text, clears it on the next action, and is not busy after", async () => {
    const { busy, error, run } = useBusyAction();
    const result = await run(() => Promise.reject(new ApiCallError({ code: 'not-found', message: 'x' })));
    expect(result).toBeUndefined();
    expect(busy.value).toBe(false);
    expect(error.value).toBe(i18n.global.t('errors.not-found'));
    expect(error.value).not.toBe('');
    const d = deferred<void>();
    const next = run(() => d.promise);
    expect(error.value).toBe('');
    d.resolve();
    await next;
  });

  it('shows anything else thrown as the internal-error text', async () => {
    const { error, run } = useBusyAction();
    await run(() => Promise.reject(new TypeError('boom')));
    expect(error.value).toBe(i18n.global.t('errors.internal'));
  });

  it('runs onError after the text is set and before the action stops being busy; it may replace the text', async () => {
    const { busy, error, run } = useBusyAction();
    const seen: Array<{ busy: boolean; error: string }> = [];
    await run(() => Promise.reject(new ApiCallError({ code: 'slot-taken', message: 'x' })), {
      onError: async (e) => {
        seen.push({ busy: busy.value, error: error.value });
        await Promise.resolve();
        if (e instanceof ApiCallError && e.code === 'slot-taken') error.value = 'taken, reloaded';
      },
    });
    expect(seen).toEqual([{ busy: true, error: i18n.global.t('errors.slot-taken') }]);
    expect(error.value).toBe('taken, reloaded');
    expect(busy.value).toBe(false);
  });

  it("reports into the screen's own error line when given one", async () => {
    const line = ref('left from loading');
    const { error, run } = useBusyAction(line);
    expect(error).toBe(line);
    await run(async () => undefined);
    expect(line.value).toBe('');
  });
});
