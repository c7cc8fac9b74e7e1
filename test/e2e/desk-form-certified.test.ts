/**
 * A registrar attaches a person with the desk form certified by their own ЭЦҚ (issue 15, point 6; Astana, table 2,
 * act 5): scans chosen from disk (a wrong file is named and refused), "Sign and register" through the signing dialog
 * with the SoftHSM2 token, and the request's page shows who certified it, when, and opens the scans.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { RunningClock, workingDayClock } from '../helpers/clock';
import { setUpPhysicianToken, TOKEN_PIN, type DeskPki } from '../helpers/signing-desk';
import { DINARA, seedDinara } from '../helpers/e2e-people';

// A working-day morning, whatever the real date (the session's clock then runs at the real pace).
const running = new RunningClock(workingDayClock('10:00').now.getTime());
const clock = running.read;
// A real 1×1 image, so the preview shows it.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n% the written application\n%%EOF\n');

let s: BrowserSession;
let desk: DeskPki;

beforeAll(async () => {
  s = await startBrowserSession({ clock, population: 50 });
  // The registrar's own token: the certificate carries the IIN recorded on the registrar's account.
  desk = setUpPhysicianToken(s.ws.app, 'registrar');
  running.restart();
  seedDinara(s.ws.app.db, clock());
});
afterAll(async () => {
  await s?.close();
  desk?.cleanup();
});

describe('a certified desk form', () => {
  it('attaches scans, signs with the registrar’s token, and the request page shows the certification and the scans', async () => {
    const { page } = await s.newPage();
    await logIn(page, 'registrar');
    await page.keyboard.press('F8');
    await page.locator('[data-test="desk-person"]').waitFor();
    await page.keyboard.type(DINARA);
    await page.locator('[data-test="attach-form"]').waitFor();
    await page.locator('[data-doc="application"]').check();
    await page.locator('[data-doc="identity-document"]').check();
    const scans = page.locator('[data-test="desk-scans"]');
    await scans.waitFor();

    // A text file named .png is refused by its first bytes, naming the file; nothing is stored.
    await page
      .locator('[data-test="scan-input-application"]')
      .setInputFiles({ name: 'өтініш.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
    await expect.poll(() => page.locator('[data-test="scan-error"]').textContent()).toContain('өтініш.png');
    await page
      .locator('[data-test="scan-input-application"]')
      .setInputFiles({ name: 'өтініш.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page
      .locator('[data-test="scan-input-identity-document"]')
      .setInputFiles({ name: 'куәлік.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => scans.locator('[data-test="scan-file"]').count()).toBe(2);
    expect(await page.locator('[data-test="at-submit"]').textContent()).toContain('Қол қою және тіркеу');
    await screenshot(page, 'desk-form-scans');

    // Ctrl+Enter opens the signing dialog; the PIN and Enter sign and register.
    await page.locator('[data-test="at-previous"]').press('Control+Enter');
    const dialog = page.locator('[data-test="sign-dialog"]');
    await dialog.waitFor();
    await expect.poll(() => dialog.locator('[data-key="01"] input').isChecked()).toBe(true);
    await dialog.locator('[data-test="pin"]').fill('11112222');
    await dialog.locator('[data-test="pin"]').press('Enter');
    await expect.poll(() => dialog.locator('[data-test="sign-error"]').textContent()).toContain('PIN-код қате');
    expect(await page.locator('[data-test="at-done"]').count()).toBe(0); // nothing registered, the form is kept
    await dialog.locator('[data-test="pin"]').fill(TOKEN_PIN);
    await dialog.locator('[data-test="pin"]').press('Enter');
    await page.locator('[data-test="pdf-preview"]').waitFor();
    await page.keyboard.press('Escape');
    const done = await page.locator('[data-test="at-done"]').textContent();
    const requestNumber = /A4-\d{6}/.exec(done ?? '')?.[0];
    expect(requestNumber).toBeTruthy();

    // The request's page: "certified by <full name>, <time>", the signature checked, the scans listed and opened.
    const id = (s.ws.app.db.prepare(`SELECT id FROM service_request WHERE number = ?`).get(requestNumber) as { id: number }).id;
    await page.goto(page.url().replace(/#.*$/, `#/requests/${id}`));
    const certified = page.locator('[data-test="desk-form-certified"]');
    await expect.poll(() => certified.textContent()).toContain('ЭЦҚ-мен куәландырған: ДӘРІГЕРОВА ГҮЛНАР');
    expect(await certified.textContent()).toContain('қолтаңба тексерілді');
    await expect.poll(() => page.locator('[data-test="desk-form-scans"] li').count()).toBe(2);
    await screenshot(page, 'desk-form-request');
    await page.locator('[data-test="desk-form-scans"] button', { hasText: 'куәлік.png' }).click();
    await page.locator('[data-test="scan-preview"]').waitFor();
    await screenshot(page, 'desk-form-scan-preview');
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-test="scan-preview"]').count()).toBe(0);
  });
});
