/**
 * Issue 19 in Chromium: a talon printed at the desk and synced is confirmed by the central server's public page
 * (kk and ru, as an employer's browser sees it), a tampered code is not; at the desk, the QR scanner (a burst of
 * keys at scanner speed ending in Enter) opens the talon's person from any screen and a refusal with its status,
 * while the same URL typed at a person's pace does nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { verificationPath } from '../../common/verification';
import { getOrganization } from '../../db/organization';
import { getVerification } from '../../db/verifications';
import { syncNow } from '../../electron/services/sync/index';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { workingDayClock } from '../helpers/clock';
import { DINARA, seedDinara } from '../helpers/e2e-people';
import { startTestServer, type TestServer } from '../helpers/sync-server';

const clock = workingDayClock('10:00');
let s: BrowserSession;
let server: TestServer;
let talon: { number: string; code: string };
let refusal: { number: string; code: string };
const screenPath = (url: string) => new URL(url).hash.replace(/^#/, '').split('?')[0];

beforeAll(async () => {
  s = await startBrowserSession({ population: 20, clock: clock.read });
  seedDinara(s.ws.app.db, clock.now);
  server = await startTestServer('pglite', undefined, { clock: clock.read });
  const admin = await s.ws.as('admin');
  await admin.call('sync.enroll', { serverUrl: server.url, code: await server.code(getOrganization(s.ws.app.db)!.bin) });
  const reg = await s.ws.as('registrar');
  const a = await reg.call('attachments.apply', { iin: DINARA, documents: ['application', 'identity-document'] });
  await reg.call('attachments.talon', { id: a.id });
  talon = { number: a.talonNumber, code: getVerification(s.ws.app.db, a.talonNumber)!.code };
  const other = s.ws.app.db.prepare(`SELECT iin FROM person WHERE source = 'register' AND iin <> ? LIMIT 1`).pluck().get(DINARA) as string;
  const r = await reg.call('desk.refuse', { serviceId: 'appointment', channel: 'phone', iin: other, ground: 'grounds-not-met' });
  await reg.call('desk.refusalPdf', { requestId: r.requestId });
  refusal = { number: r.number, code: getVerification(s.ws.app.db, r.number)!.code };
  await syncNow(s.ws.app);
}, 180_000);
afterAll(async () => {
  await s?.close();
  await server?.close();
});

/**
 * Types text as a USB scanner does: key after key a few milliseconds apart, then Enter. The keys are dispatched in
 * the page itself: Playwright's own typing takes 10–110 ms a key on a loaded 2-core machine, slower than any
 * scanner. Each key goes to the focused element (a field gets the character, as it would from the keyboard) and
 * reaches the window's listeners as a real key would.
 */
async function scan(page: Page, text: string, gapMs = 3) {
  await page.evaluate(
    async ({ text, gapMs }) => {
      const press = (key: string) => {
        const target = (document.activeElement ?? document.body) as HTMLElement;
        const ev = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
        target.dispatchEvent(ev);
        if (!ev.defaultPrevented && key.length === 1 && target instanceof HTMLInputElement) {
          target.value += key;
          target.dispatchEvent(new Event('input', { bubbles: true }));
        }
      };
      for (const ch of text) {
        press(ch);
        await new Promise((r) => setTimeout(r, gapMs));
      }
      press('Enter');
    },
    { text, gapMs },
  );
}

describe('the public page in Chromium', () => {
  it('confirms the synced talon in kk and ru with the person masked; a tampered code is not found', async () => {
    const url = `${server.url}${verificationPath(talon.number, talon.code)}`;
    const kkContext = await s.browser.newContext({ locale: 'kk-KZ', viewport: { width: 480, height: 800 } });
    const kk = await kkContext.newPage();
    await kk.goto(url);
    const kkText = (await kk.locator('body').textContent()) ?? '';
    expect(kkText).toContain('Құжат расталды');
    expect(kkText).toContain('Жарамды');
    expect(kkText).toContain('Қасымова Д. М.');
    expect(kkText).not.toContain(DINARA);
    expect(kkText).not.toContain('Динара');
    await screenshot(kk, 'verify-page-kk');
    const ruContext = await s.browser.newContext({ locale: 'ru-RU', viewport: { width: 480, height: 800 } });
    const ru = await ruContext.newPage();
    await ru.goto(url);
    expect(await ru.locator('body').textContent()).toContain('Документ подтверждён');
    await screenshot(ru, 'verify-page-ru');
    const flipped = talon.code.slice(0, 15) + (talon.code[15] === 'A' ? 'B' : 'A');
    await ru.goto(`${server.url}${verificationPath(talon.number, flipped)}`);
    expect(await ru.locator('body').textContent()).toContain('Документ с таким номером и кодом не найден');
    await screenshot(ru, 'verify-page-not-found');
    await kkContext.close();
    await ruContext.close();
  });
});

describe('the QR scanner at the desk', () => {
  it('opens the talon’s person from the person search, the refusal with its status; slow typing is not a scan', async () => {
    const { page } = await s.newPage();
    await logIn(page, 'registrar');
    await page.keyboard.press('F2');
    const query = page.locator('[data-test="person-query"]');
    await query.waitFor();
    await query.focus();
    await scan(page, `${server.url}${verificationPath(talon.number, talon.code)}`);
    await expect.poll(() => screenPath(page.url())).toBe('/people');
    await expect.poll(() => page.locator('[data-test="person-card"]').getAttribute('data-iin')).toBe(DINARA);
    expect(await query.inputValue()).toBe(DINARA);
    await screenshot(page, 'verify-scan-talon');

    // From the home screen, a refusal: its screen with the status, as this desk's own record says.
    await page.keyboard.press('Alt+H');
    await scan(page, `${server.url}${verificationPath(refusal.number, refusal.code)}`);
    await expect.poll(() => screenPath(page.url())).toBe(`/verify/${refusal.number}/${refusal.code}`);
    const result = page.locator('[data-test="verify-result"]');
    await expect.poll(() => result.getAttribute('data-status')).toBe('valid');
    expect(await result.textContent()).toContain('Жарамды');
    await screenshot(page, 'verify-scan-refusal');

    // Revoked by the administrator: the next scan shows it.
    const admin = await s.ws.as('admin');
    await admin.call('verifications.revoke', { number: refusal.number, reason: 'қате берілген' });
    await page.keyboard.press('Alt+H');
    await scan(page, `${server.url}${verificationPath(refusal.number, refusal.code)}`);
    await expect.poll(() => result.getAttribute('data-status')).toBe('revoked');
    expect(await result.textContent()).toContain('Кері қайтарылған');

    // The same URL typed at a person's pace (80 ms a key) is only typing.
    await page.keyboard.press('Alt+H');
    await expect.poll(() => screenPath(page.url())).toBe('/');
    await scan(page, `${server.url}${verificationPath(talon.number, talon.code)}`, 80);
    await new Promise((r) => setTimeout(r, 300));
    expect(screenPath(page.url())).toBe('/');
  });
});

describe('detachment at the desk', () => {
  it('a detached person’s talon is revoked on the public page after the next sync', async () => {
    const { page } = await s.newPage();
    await logIn(page, 'registrar');
    await page.goto(page.url().replace(/#.*$/, `#/desk/attachment?iin=${DINARA}`));
    await page.locator('[data-test="already"]').waitFor();
    await page.locator('[data-test="detach"]').click();
    // Too short a reason: said under the reason box, which points at it.
    const reason = page.locator('[data-test="detach-reason"]');
    await reason.fill('ә');
    await page.locator('[data-test="detach-confirm"]').click();
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await reason.getAttribute('aria-describedby')}`).isVisible()).toBe(true);
    expect(await page.locator('[data-test="detach-error"]').getAttribute('role')).toBe('alert');
    await reason.fill('басқа емханаға ауысты');
    await page.locator('[data-test="detach-confirm"]').click();
    await expect.poll(() => page.locator('[data-test="detached"]').textContent()).toContain(talon.number);
    // The person may be attached again: the form is back.
    await page.locator('[data-test="attach-form"]').waitFor();
    await screenshot(page, 'verify-detached');
    expect(getVerification(s.ws.app.db, talon.number)!.status).toBe('revoked');

    await syncNow(s.ws.app);
    const context = await s.browser.newContext({ locale: 'kk-KZ', viewport: { width: 480, height: 800 } });
    const kk = await context.newPage();
    await kk.goto(`${server.url}${verificationPath(talon.number, talon.code)}`);
    const text = (await kk.locator('body').textContent()) ?? '';
    expect(text).toContain('Кері қайтарылған');
    expect(text).not.toContain('Жарамды');
    await screenshot(kk, 'verify-page-talon-revoked');
    await context.close();
  });
});
