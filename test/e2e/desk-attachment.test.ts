/** A registrar attaches a person: the documents checklist refuses an incomplete application, then the talon prints. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { RunningClock } from '../helpers/clock';
import { DINARA, seedDinara } from '../helpers/e2e-people';

// (The clock starts once the session is up: building the renderer must not eat the morning's first slots.)
const BASE = Date.parse('2026-03-10T04:00:00Z');
const running = new RunningClock(BASE);
const clock = running.read;

let s: BrowserSession;

beforeAll(async () => {
  s = await startBrowserSession({ clock, population: 100 });
  running.restart();
  seedDinara(s.ws.app.db, clock());
});
afterAll(async () => s?.close());

describe('attachment at the front desk', () => {
  it('checks the documents, assigns the district, issues and prints the talon; a second application is refused', async () => {
    const { page } = await s.newPage();
    await logIn(page, 'registrar');
    await page.keyboard.press('F8');
    await page.locator('[data-test="desk-person"]').waitFor();
    await page.keyboard.type(DINARA);
    await page.locator('[data-test="attach-form"]').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-doc'))).toBe('application');
    await page.keyboard.press('Space'); // the written application only
    await page.locator('[data-test="at-previous"]').fill('Астана қаласының №2 қалалық емханасы');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('[data-test="at-error"]').textContent()).toContain('Жеке басын куәландыратын құжат');
    await screenshot(page, 'desk-attachment-missing-document');
    await page.locator('[data-doc="identity-document"]').check();
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-test="pdf-preview"]').waitFor();
    await page.waitForTimeout(1000);
    await screenshot(page, 'desk-attachment-talon');
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-test="at-done"]').textContent()).toContain('A4-T000001');
    await screenshot(page, 'desk-attachment-done');

    // The same person again: already attached here, with the talon to print again.
    await page.locator('[data-test="at-next"]').click();
    await page.keyboard.type(DINARA);
    await expect.poll(() => page.locator('[data-test="already"]').textContent()).toContain('A4-T000001');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('[data-test="at-error"]').textContent()).toContain('тіркелген');

    await page.keyboard.press('F9');
    await page.locator('[data-journal="attachments"]').click();
    await expect.poll(() => page.locator('[data-test="j-table"] tbody tr').count()).toBe(1);
    await screenshot(page, 'desk-journal-attachments');
  });
});
