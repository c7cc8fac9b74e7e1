/** useLoaded: what a screen shows from one API call, loaded and reloaded; the latest load wins. */
import '../browser-globals';
import { describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import { ApiCallError } from '../../../../renderer/src/api/client';
import { i18n } from '../../../../renderer/src/i18n';
import { useLoaded } from '../../../../renderer/src/shared/loaded';

i18n.global.locale.value = 'en';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('useLoaded', () => {
  it('starts from the initial value, is loading while the call runs, then shows the answer', async () => {
    const d = deferred<string[]>();
    const list = useLoaded(() => d.promise, [] as string[]);
    expect(list.data.value).toEqual([]);
    const loading = list.load();
    expect(list.loading.value).toBe(true);
    d.resolve(['Айгерім', 'Болат']);
    await loading;
    expect(list.data.value).toEqual(['Айгерім', 'Болат']);
    expect(list.loading.value).toBe(false);
    expect(list.error.value).toBe('');
  });

  it('keeps what is shown when a reload fails, says why, and clears that once a reload succeeds', async () => {
    const fetch = vi
      .fn<() => Promise<number[]>>()
      .mockResolvedValueOnce([1])
      .mockRejectedValueOnce(new ApiCallError({ code: 'forbidden', message: 'x' }))
      .mockResolvedValueOnce([1, 2]);
    const list = useLoaded(fetch, [] as number[]);
    await list.load();
    await list.load();
    expect(list.data.value).toEqual([1]);
    expect(list.error.value).toBe(i18n.global.t('errors.forbidden'));
    expect(list.loading.value).toBe(false);
    await list.load();
    expect(list.data.value).toEqual([1, 2]);
    expect(list.error.value).toBe('');
  });

  it("when loads overlap, shows the latest one's answer (or failure) only", async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const fetch = vi.fn<() => Promise<string>>().mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const onLoaded = vi.fn();
    const week = useLoaded<string | null>(fetch, null, { onLoaded });
    const a = week.load();
    const b = week.load();
    second.resolve('week of 9 March');
    await b;
    expect(week.data.value).toBe('week of 9 March');
    expect(week.loading.value).toBe(false);
    first.reject(new Error('late failure'));
    await a;
    expect(week.data.value).toBe('week of 9 March');
    expect(week.error.value).toBe('');
    expect(onLoaded.mock.calls).toEqual([['week of 9 March']]);
  });

  it('stays loading until the latest load ends, even when an older one ends first', async () => {
    const first = deferred<number>();
    const second = deferred<number>();
    const fetch = vi.fn<() => Promise<number>>().mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const n = useLoaded(fetch, 0);
    const a = n.load();
    const b = n.load();
    first.resolve(1);
    await a;
    expect(n.loading.value).toBe(true);
    expect(n.data.value).toBe(0);
    second.resolve(2);
    await b;
    expect(n.loading.value).toBe(false);
    expect(n.data.value).toBe(2);
  });

  it("passes the load arguments to the fetch function, and reports into the screen's own error line", async () => {
    const line = ref('');
    const fetch = vi.fn(async (doctorId: number, from: string) => `${doctorId}@${from}`);
    const week = useLoaded(fetch, '', { error: line });
    await week.load(7, '2026-03-09');
    expect(fetch).toHaveBeenCalledWith(7, '2026-03-09');
    expect(week.data.value).toBe('7@2026-03-09');
    fetch.mockRejectedValueOnce(new ApiCallError({ code: 'not-found', message: 'x' }));
    await week.load(8, '2026-03-09');
    expect(line.value).toBe(i18n.global.t('errors.not-found'));
    expect(week.error).toBe(line);
  });
});
