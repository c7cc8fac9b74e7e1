/**
 * Chromium, real renderer, web host, real SQLite: the Atyrau TB dispensary certificate (issue 6) through the
 * screens that do its steps. The administrator sets the price and imports the TB register from CSV (with rejected
 * rows); the operator checks the register (a person on the register is refused with the reason) and does the
 * journal step; the cashier opens the shift, takes the payment and prints the receipt; the phthisiatrician signs
 * with a SoftHSM2 token through the signing dialog and sees the certificate PDF; the certificate journal lists it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../common/iin';
import { getOrganization, saveOrganization } from '../../db/organization';
import { upsertPerson } from '../../db/people';
import { resetWorkflowCaches } from '../../electron/services/workflow/context';
import { logIn, screenshot, SCREENSHOTS, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { adoptRegionActs } from '../helpers/app';
import { setUpPhysicianToken, TOKEN_LABEL, TOKEN_PIN, type DeskPki } from '../helpers/signing-desk';
import type { Page } from 'playwright-core';
import { localDate } from '../helpers/clock';

let s: BrowserSession;
let desk: DeskPki;
const AIGERIM = makeIin('1992-04-14', 'F', 31);
const ON_TB = makeIin('1979-01-02', 'M', 33);
const today = () => localDate(s.ws.app.clock(), 'Asia/Atyrau');

beforeAll(async () => {
  s = await startBrowserSession({ population: 20 });
  const db = s.ws.app.db;
  saveOrganization(db, { ...getOrganization(db)!, region: 'atyrau', timezone: 'Asia/Atyrau', workstationPrefix: 'AT1' });
  adoptRegionActs(s.ws.app);
  resetWorkflowCaches(s.ws.app);
  for (const [iin, surname, given] of [
    [AIGERIM, 'Сейтқалиева', 'Әйгерім'],
    [ON_TB, 'Есенов', 'Бауыржан'],
  ] as const) {
    upsertPerson(
      db,
      {
        iin,
        surname,
        givenName: given,
        patronymic: null,
        birthDate: '1990-01-01',
        sex: 'F',
        address: 'Атырау қ.',
        phone: null,
        source: 'register',
      },
      s.ws.app.clock(),
    );
  }
  desk = setUpPhysicianToken(s.ws.app, 'phthisiatrician');
});
afterAll(async () => {
  await s?.close();
  desk?.cleanup();
});

async function logOut(page: Page) {
  await page.locator('[data-test="logout"]').click();
  await page.locator('input[name="login"]').waitFor();
}

const current = (page: Page) => page.locator('[data-test="current-step"]');

async function openRequest(page: Page, number: string) {
  await page.locator('[data-nav="queue"]').click();
  await page.locator(`tr[data-request="${number}"]`).click();
  await expect.poll(() => page.locator('[data-test="request-number"]').textContent()).toContain(number);
}

async function startTb(page: Page, iin: string): Promise<string> {
  await page.locator('[data-nav="queue"]').click();
  await page.keyboard.press('Alt+N');
  const form = page.locator('[data-test="start-form"]');
  await form.waitFor();
  await form.locator('[data-test="start-service"]').selectOption('tb-certificate');
  await form.locator('[data-test="start-iin"]').fill(iin);
  await expect.poll(() => form.locator('[data-test="start-person"]').textContent()).toMatch(/\S/);
  await form.locator('[data-test="start-iin"]').press('Enter');
  await expect.poll(() => current(page).getAttribute('data-step')).toBe('register-check');
  return ((await page.locator('[data-test="request-number"]').textContent()) ?? '').match(/AT1-\d+/)![0];
}

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
/** Headless Chromium has no PDF viewer (the preview frame stays dark): the PDF itself is rendered to a PNG to look at. */
const pdfShot = (file: string, name: string) =>
  execFileSync('pdftoppm', ['-png', '-r', '70', '-singlefile', file, path.join(SCREENSHOTS, name)]);

describe('the TB dispensary certificate: operator → cashier → phthisiatrician', () => {
  it('price and register set up by the administrator; check, payment and receipt, signature and certificate', async () => {
    const { page } = await s.newPage();
    page.setDefaultTimeout(15_000);

    // --- the administrator: the price from today and the TB register from a CSV with a rejected row -------------
    await logIn(page, 'admin');
    await page.locator('[data-nav="prices"]').click();
    await page.locator('[data-test="price-service"]').selectOption('tb-certificate');
    await page.locator('[data-test="price-fee"]').fill('1500');
    // A new price takes effect today unless the administrator picks another day (the project's date field: dd.mm.yyyy).
    expect(await page.locator('[data-test="price-from"]').inputValue()).toBe(today().split('-').reverse().join('.'));
    await page.locator('[data-test="price-save"]').click();
    await expect
      .poll(() => page.locator('[data-test="prices"] tr[data-service="tb-certificate"] [data-col="current"]').textContent())
      .toContain('1\u00a0500 ₸');
    await screenshot(page, 'e2e-tb-1-prices');

    await page.locator('[data-nav="registers"]').click();
    await page.locator('[data-test="import-register"]').selectOption('tb');
    const csv = `iin,from_date,removed_on\n${ON_TB},10.01.2020,\n123,2020-01-01,\n${AIGERIM},2015-01-01,2019-06-30\n`;
    await page
      .locator('[data-test="import-csv"]')
      .setInputFiles({ name: 'tb-register.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('[data-test="import-start"]').click();
    await expect.poll(() => page.locator('[data-test="import-report"]').textContent()).toContain('3');
    expect(await page.locator('[data-test="import-report"]').textContent()).toMatch(/қабылданды: 2.*қабылданбады: 1/);
    // The reason in the screen's language (Kazakh), never an English sentence.
    expect(await page.locator('[data-test="rejected-rows"] tr[data-line="3"]').textContent()).toContain(
      'ЖСН жарамсыз: ЖСН 12 саннан тұрмайды',
    );
    // The rejected rows as a file, named after the register, with a byte-order mark so Excel reads the UTF-8.
    const [rejected] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="download-rejected"]').click()]);
    expect(rejected.suggestedFilename()).toBe('rejected-tb.csv');
    const rejectedCsv = fs.readFileSync((await rejected.path())!, 'utf8');
    // In the administrator's language: the demo administrator works in Kazakh.
    expect(rejectedCsv.startsWith('\uFEFFЖол,Себебі,Жолдың мазмұны')).toBe(true);
    expect(rejectedCsv).toContain('\n3,"ЖСН жарамсыз: ЖСН 12 саннан тұрмайды","123,2020-01-01,"\n');
    await screenshot(page, 'e2e-tb-2-register-import');
    await logOut(page);

    // --- the operator: a person on the register is refused at the check; the other passes two steps -------------
    await logIn(page, 'operator');
    const refused = await startTb(page, ON_TB);
    expect(await page.locator('[data-test="complete-step"]').count()).toBe(0);
    await page.locator('[data-test="register-check"]').click();
    await expect.poll(() => page.locator('[data-test="request-status"]').getAttribute('data-status')).toBe('refused');
    expect(await page.locator('[data-test="register-answer"]').getAttribute('data-found')).toBe('yes');
    expect(await page.locator('[data-test="register-answer"]').textContent()).toContain('10.01.2020');
    expect(await page.locator('[data-test="refusal-reason"]').textContent()).toMatch(/\S/);
    expect(await page.locator('[data-test="request-notice"]').getAttribute('class')).toContain('warn');
    await screenshot(page, 'e2e-tb-3-on-register-refused');
    expect(refused).toBe('AT1-000001');

    const number = await startTb(page, AIGERIM);
    expect(number).toBe('AT1-000002');
    await page.locator('[data-test="register-check"]').click();
    await expect.poll(() => current(page).getAttribute('data-step')).toBe('journal-entry');
    expect(await page.locator('[data-test="register-answer"]').getAttribute('data-found')).toBe('no');
    await screenshot(page, 'e2e-tb-4-register-checked');
    await page.locator('[data-test="complete-step"]').click();
    await expect.poll(() => current(page).getAttribute('data-step')).toBe('payment');
    expect(await page.locator('[data-test="not-yours"]').textContent()).toContain('Кассир');
    expect(await page.locator('[data-test="payment-form"]').count()).toBe(0);
    await logOut(page);

    // --- the cashier: no shift yet → the request says so; opens the shift, takes the payment by card ------------
    await logIn(page, 'cashier');
    expect(await page.locator('[data-nav="signing"]').count()).toBe(0);
    await openRequest(page, number);
    await page.locator('[data-test="no-shift"]').waitFor();
    await screenshot(page, 'e2e-tb-5-cashier-no-shift');
    await page.locator('[data-test="go-cash"]').click();
    await page.locator('[data-test="open-shift"]').click();
    await page.locator('[data-test="shift"][data-state="open"]').waitFor();
    await openRequest(page, number);
    expect(await page.locator('[data-test="pay-amount"]').textContent()).toContain('1\u00a0500 ₸');
    await page.locator('[data-method="card"] input').check();
    await screenshot(page, 'e2e-tb-6-payment');
    await page.locator('[data-test="pay"]').click();
    await expect.poll(() => current(page).getAttribute('data-step')).toBe('sign-issue');
    expect(await page.locator('[data-test="paid"]').textContent()).toContain('AT1-R000001');
    // The 80 mm receipt in the print preview; its PDF says the receipt number and the amount.
    await page.locator('[data-test="receipt-80mm"]').click();
    await page.locator('[data-test="pdf-preview"]').waitFor();
    await screenshot(page, 'e2e-tb-7-receipt-80mm');
    const [receipt] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="pdf-save"]').click()]);
    const receiptText = pdfText((await receipt.path())!);
    pdfShot((await receipt.path())!, 'e2e-tb-7b-receipt-80mm-pdf');
    expect(receiptText).toContain('AT1-R000001');
    expect(receiptText).toContain('1 500 ₸');
    await page.locator('[data-test="pdf-close"]').click();
    await page.locator('[data-nav="cash"]').click();
    await expect.poll(() => page.locator('[data-test="totals"] [data-total="card"]').textContent()).toContain('1\u00a0500');
    await expect.poll(() => page.locator('[data-test="cash-journal"] tr[data-receipt="AT1-R000001"]').count()).toBe(1);
    await screenshot(page, 'e2e-tb-8-cash-shift');
    // Closing the shift asks first, with what it holds; Enter from habit lands on "Cancel" and closes nothing.
    await page.locator('[data-test="close-shift"]').click();
    const confirm = page.locator('[data-test="confirm-dialog"]');
    await confirm.waitFor();
    expect(await confirm.locator('[data-test="confirm-message"]').textContent()).toMatch(/1 төлем, барлығы 1\s500 ₸/);
    await screenshot(page, 'e2e-tb-8b-close-shift-confirm');
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'detached' });
    expect(await page.locator('[data-test="shift"]').getAttribute('data-state')).toBe('open');
    await page.locator('[data-test="close-shift"]').click();
    await confirm.locator('[data-test="confirm-ok"]').click();
    await page.locator('[data-test="shift"][data-state="closed"]').waitFor();
    await logOut(page);

    // --- the phthisiatrician: signs with the SoftHSM2 token through the dialog; the certificate PDF is shown ----
    await logIn(page, 'phthisiatrician');
    await openRequest(page, number);
    expect(await page.locator('[data-test="complete-step"]').count()).toBe(0);
    expect(await page.locator('[data-test="sign-block"]').textContent()).toContain('Төлем тексерілді: AT1-R000001');
    await page.locator('[data-test="sign-certificate"]').click();
    const dialog = page.locator('[data-test="sign-dialog"]');
    await dialog.waitFor();
    await expect.poll(() => dialog.locator(`[data-token="${TOKEN_LABEL}"] input`).isChecked()).toBe(true);
    await expect.poll(() => dialog.locator('[data-key="01"] input').isChecked()).toBe(true);
    await dialog.locator('[data-test="pin"]').fill(TOKEN_PIN);
    await screenshot(page, 'e2e-tb-9-sign-dialog');
    await dialog.locator('[data-test="pin"]').press('Enter');
    await page.locator('[data-test="pdf-preview"]').waitFor();
    expect(await dialog.count()).toBe(0);
    await expect.poll(() => page.locator('[data-test="request-status"]').getAttribute('data-status')).toBe('done');
    await screenshot(page, 'e2e-tb-10-certificate-pdf');
    const [certFile] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="pdf-save"]').click()]);
    const kk = pdfText((await certFile.path())!);
    pdfShot((await certFile.path())!, 'e2e-tb-10b-certificate-kk-pdf');
    expect(kk).toContain('Туберкулез диспансерінен анықтама');
    expect(kk).toContain(AIGERIM);
    await page.locator('[data-test="pdf-close"]').click();
    const block = page.locator('[data-test="certificate-block"]');
    expect(await block.getAttribute('data-issued')).toBe('yes');
    const certNumber = (await block.getAttribute('data-number'))!;
    expect(await block.textContent()).toContain('Дәрігер · фтизиатр');
    // The Russian copy of the same certificate.
    await page.locator('[data-test="certificate-pdf-ru"]').click();
    await page.locator('[data-test="pdf-preview"]').waitFor();
    const [ruFile] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="pdf-save"]').click()]);
    expect(pdfText((await ruFile.path())!)).toContain('не состоит');
    pdfShot((await ruFile.path())!, 'e2e-tb-10c-certificate-ru-pdf');
    await page.locator('[data-test="pdf-close"]').click();
    await screenshot(page, 'e2e-tb-11-request-done');
    await logOut(page);

    // --- the operator: the certificate issuance journal lists it, with a re-print ----------------------------------
    await logIn(page, 'operator');
    await page.locator('[data-nav="certificates"]').click();
    const row = page.locator(`[data-test="certificates"] tr[data-certificate="${certNumber}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Сейтқалиева');
    await screenshot(page, 'e2e-tb-12-certificate-journal');
    await row.locator('[data-test="journal-pdf-kk"]').click();
    await page.locator('[data-test="pdf-preview"]').waitFor();
    const [again] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="pdf-save"]').click()]);
    expect(pdfText((await again.path())!)).toBe(kk); // a re-print is the same document
  }, 120_000);

  it('HIV (the same screens): the nurse prints the label and enters the result once; the counsellor releases it by code', async () => {
    const counsellorApi = await s.ws.as('counsellor');
    let r = await counsellorApi.call('requests.start', { serviceId: 'hiv-examination', channel: 'desk', anonymous: true });
    r = await counsellorApi.call('requests.completeStep', { requestId: r.id, stepId: 'pre-test-counselling' });
    const code = r.anonymousCode!;
    const { page } = await s.newPage();
    page.setDefaultTimeout(15_000);

    await logIn(page, 'nurse');
    await openRequest(page, r.number);
    expect(await page.locator('[data-test="hiv-code"]').textContent()).toBe(code);
    await page.locator('[data-test="hiv-label"]').click();
    const [label] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="pdf-save"]').click()]);
    expect(pdfText((await label.path())!)).toContain(code);
    await page.locator('[data-test="pdf-close"]').click();
    await page.locator('[data-test="complete-step"]').click();
    await expect.poll(() => current(page).getAttribute('data-step')).toBe('post-test-counselling');
    await page.locator('[data-result="negative"] input').check();
    await page.locator('[data-test="hiv-enter"]').click();
    await expect.poll(() => page.locator('[data-test="hiv-result"]').textContent()).toContain('Теріс');
    expect(await page.locator('[data-test="hiv-result-form"]').count()).toBe(0);
    await screenshot(page, 'e2e-tb-13-hiv-result-entered');
    await logOut(page);

    await logIn(page, 'counsellor');
    await expect.poll(() => page.locator('[data-nav="hiv-follow-ups"]').count()).toBe(1);
    await openRequest(page, r.number);
    expect(await page.locator('[data-test="complete-step"]').count()).toBe(0);
    await page.locator('[data-test="hiv-release-code"]').fill('ZZZZ-ZZZZ');
    await page.locator('[data-test="hiv-release"]').click();
    await expect.poll(() => page.locator('[data-test="dispensary-error"]').textContent()).toContain('Мұндай кодпен зерттеу жоқ');
    await page.locator('[data-test="hiv-release-code"]').fill(code.toLowerCase());
    await page.locator('[data-test="hiv-release"]').click();
    await page.locator('[data-test="pdf-preview"]').waitFor();
    await expect.poll(() => page.locator('[data-test="request-status"]').getAttribute('data-status')).toBe('done');
    const [cert] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="pdf-save"]').click()]);
    expect(pdfText((await cert.path())!)).toContain(code);
    await page.locator('[data-test="pdf-close"]').click();
    await screenshot(page, 'e2e-tb-14-hiv-released');
    await page.locator('[data-nav="hiv-follow-ups"]').click();
    await page.locator('[data-test="follow-ups-empty"]').waitFor();
    await logOut(page);
    // Other physicians do not see the counselling room's screen.
    await logIn(page, 'therapist');
    expect(await page.locator('[data-nav="hiv-follow-ups"]').count()).toBe(0);
    expect(await page.locator('[data-nav="cash"]').count()).toBe(0);
  }, 90_000);
});
