/**
 * The F2 card carries the person into the desk screens with one key (issue 16, point 5): the registrar finds the
 * person, presses F3, F4 or F8 (or the card's button) and the desk screen opens with that person already chosen;
 * on F4 their own district doctor is offered first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { DINARA, seedDinara } from '../helpers/e2e-people';

let s: BrowserSession;
/** The screen's route (hash history): `…/#/desk/home-visit?iin=…` → `/desk/home-visit`. */
const screenPath = (url: string) => new URL(url).hash.replace(/^#/, '').split('?')[0];

beforeAll(async () => {
  s = await startBrowserSession();
  seedDinara(s.ws.app.db, s.ws.app.clock());
});
afterAll(async () => s?.close());

describe('the person card of F2', () => {
  it('carries the person into F3, F4 and F8 with one key or a button', async () => {
    const { page } = await s.newPage();
    await logIn(page, 'registrar');
    const find = async () => {
      await page.keyboard.press('F2');
      const query = page.locator('[data-test="person-query"]');
      await query.waitFor();
      await query.fill(DINARA);
      await expect.poll(() => page.locator('[data-test="person-card"]').getAttribute('data-iin')).toBe(DINARA);
    };

    await find();
    expect(await page.locator('[data-test="person-actions"]').textContent()).toContain('F3');
    await screenshot(page, 'carry-person-card');
    for (const [key, path] of [
      ['F3', '/desk/home-visit'],
      ['F4', '/desk/appointments'],
      ['F8', '/desk/attachment'],
    ] as const) {
      await find();
      await page.keyboard.press(key);
      await expect.poll(() => screenPath(page.url())).toBe(path);
      // The desk's person field holds the IIN and the person is chosen (their name on the form).
      await expect.poll(() => page.locator('#desk-person').inputValue()).toBe(DINARA);
      await expect.poll(() => page.locator('.page').textContent()).toContain('Қасымова Динара');
    }
    await screenshot(page, 'carry-person-attachment');

    // On F4 the person's own district doctor is offered first: Enter books with them.
    await find();
    await page.keyboard.press('F4');
    const first = page.locator('[data-test="who-list"] li').first();
    await expect.poll(() => first.textContent()).toContain('өз учаскелік дәрігері');
    await screenshot(page, 'carry-person-own-doctor');
    await page.keyboard.press('Escape');

    // The button does the same; F3 elsewhere opens the screen empty, as before.
    await find();
    await page.locator('[data-test="carry-desk-appointments"]').click();
    await expect.poll(() => page.locator('#desk-person').inputValue()).toBe(DINARA);
    await page.keyboard.press('Alt+H');
    await page.keyboard.press('F3');
    await expect.poll(() => screenPath(page.url())).toBe('/desk/home-visit');
    expect(await page.locator('#desk-person').inputValue()).toBe('');
  });
});
