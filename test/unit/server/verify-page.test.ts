/** Issue 19: the public page's language choice and its per-address token bucket. */
import { describe, expect, it } from 'vitest';
import { pageLanguage, TokenBuckets } from '../../../server/verify-page';

describe('the verification page', () => {
  it('speaks ?lang= first, then the browser’s preferred of kk and ru, else Kazakh', () => {
    expect(pageLanguage({ lang: 'ru' }, 'kk')).toBe('ru');
    expect(pageLanguage({}, 'en-US,ru;q=0.8,kk;q=0.5')).toBe('ru');
    expect(pageLanguage({}, 'ru;q=0.3,kk-KZ;q=0.9')).toBe('kk');
    expect(pageLanguage({ lang: 'en' }, 'en-US')).toBe('kk');
    expect(pageLanguage(undefined, undefined)).toBe('kk');
  });

  it('lets an address make a burst, then one request a second; other addresses are not affected', () => {
    const b = new TokenBuckets({ burst: 3, perSecond: 1 });
    const t = 1_000_000;
    expect([1, 2, 3].map(() => b.take('10.0.0.1', t).ok)).toEqual([true, true, true]);
    expect(b.take('10.0.0.1', t)).toEqual({ ok: false, retryAfter: 1 });
    expect(b.take('10.0.0.2', t).ok).toBe(true);
    expect(b.take('10.0.0.1', t + 1000).ok).toBe(true);
    expect(b.take('10.0.0.1', t + 1000).ok).toBe(false);
  });
});
