/**
 * The screen lock on a shared desk (issue 14), in the real renderer: a registrar half-way through a form locks the
 * screen (or walks away); the main process refuses everything meanwhile; her password opens it and the form is
 * exactly as she left it. A wrong password is said so, at the lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, TEST_PASSWORD } from '../helpers/app';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';

let s: BrowserSession;
beforeAll(async () => {
  s = await startBrowserSession({ population: 20 });
}, 120_000);
afterAll(async () => s?.close());

describe('the screen lock', () => {
  it('keeps the unsaved form under the lock and opens only with the same person’s password', { timeout: 60_000 }, async () => {
    const { page } = await s.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await logIn(page, 'registrar');
    await page.keyboard.press('F2');
    const query = page.locator('#person-query');
    await query.waitFor();
    await query.fill('Қасым');
    await page.keyboard.press('Alt+L');
    const lock = page.locator('[data-test="lock-screen"]');
    await lock.waitFor();
    await screenshot(page, 'lock-screen');
    // While locked, the main process answers nothing but the lock's own calls (a second window of the same session).
    const other = caller(s.ws.app);
    await other.call('session.login', { login: 'registrar', password: TEST_PASSWORD });
    await other.call('session.lock', {});
    expect(await other.raw('people.search', { query: 'Қасым', limit: 3 })).toMatchObject({ ok: false, error: { code: 'session-locked' } });

    await page.locator('input[name="unlock-password"]').fill('not-the-password');
    await page.keyboard.press('Enter');
    await page.locator('[data-test="lock-error"]').waitFor();
    expect(await page.locator('[data-test="lock-error"]').textContent()).toMatch(/құпиясөз/i);
    await page.locator('input[name="unlock-password"]').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await lock.waitFor({ state: 'detached' });
    expect(await query.inputValue()).toBe('Қасым');
  });
});
