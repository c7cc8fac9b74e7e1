import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { setUpPhysicianToken, TOKEN_LABEL, TOKEN_PIN, type DeskPki } from '../helpers/signing-desk';

let s: BrowserSession;
let desk: DeskPki;
beforeAll(async () => {
  s = await startBrowserSession({ population: 20 });
  desk = setUpPhysicianToken(s.ws.app);
});
afterAll(async () => {
  await s?.close();
  desk?.cleanup();
});

describe('a physician and the signing dialog', () => {
  it('chooses the SoftHSM token, sees the authentication key refused, mistypes the PIN, then signs', async () => {
    const { page } = await s.newPage();
    await logIn(page, 'therapist');
    await page.locator('[data-nav="signing"]').click();
    await page.locator('[data-test="check-signing"]').click();
    const dialog = page.locator('[data-test="sign-dialog"]');
    await dialog.waitFor();

    // The token is found by its label and chosen; its certificates are listed without a PIN.
    await expect.poll(() => dialog.locator(`[data-token="${TOKEN_LABEL}"] input`).isChecked()).toBe(true);
    await expect.poll(() => dialog.locator('[data-key]').count()).toBe(2);
    expect(await dialog.locator('[data-key="02"] input').isDisabled()).toBe(true);
    expect(await dialog.locator('[data-key="02"]').textContent()).toContain('қол қоюға арналмаған');
    expect(await dialog.locator('[data-key="01"] input').isChecked()).toBe(true);
    await screenshot(page, 'e2e-sign-dialog');

    // A wrong PIN: the token's answer in Kazakh, the dialog stays, the PIN field is cleared.
    await dialog.locator('[data-test="pin"]').fill('11112222');
    await dialog.locator('[data-test="pin"]').press('Enter');
    await expect.poll(() => dialog.locator('[data-test="sign-error"]').textContent()).toContain('PIN-код қате');
    expect(await dialog.locator('[data-test="pin"]').inputValue()).toBe('');
    await screenshot(page, 'e2e-sign-wrong-pin');

    await dialog.locator('[data-test="pin"]').fill(TOKEN_PIN);
    await dialog.locator('[data-test="pin"]').press('Enter');
    const done = page.locator('[data-test="sign-done"]');
    await expect.poll(() => done.textContent()).toContain(desk.pki.physicianIin);
    expect(await dialog.count()).toBe(0);
    await screenshot(page, 'e2e-sign-done');
  });

  it('a cashier has no signing screen', async () => {
    const { page } = await s.newPage();
    await logIn(page, 'cashier');
    expect(await page.locator('[data-nav="signing"]').count()).toBe(0);
  });
});
