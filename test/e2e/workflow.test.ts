/**
 * Chromium, real renderer, web host, real SQLite: the Atyrau TB dispensary certificate walked through all its steps
 * by the roles its regulation names (operator → operator → cashier → phthisiatrician), the survey after it, and the
 * administrator's deadline dashboard and regulations screen. The demo organization is in Astana, so the test moves
 * it to Atyrau first (region and zone), as an administrator of an Atyrau dispensary would have it.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../common/iin';
import { getOrganization, saveOrganization } from '../../db/organization';
import { upsertPerson } from '../../db/people';
import { resetWorkflowCaches } from '../../electron/services/workflow/context';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { adoptRegionActs } from '../helpers/app';
import { setUpPhysicianToken, TOKEN_PIN, type DeskPki } from '../helpers/signing-desk';
import type { Page } from 'playwright-core';
import { localDate } from '../helpers/clock';

let s: BrowserSession;
let desk: DeskPki;
const AIGERIM = makeIin('1992-04-14', 'F', 31);

beforeAll(async () => {
  s = await startBrowserSession({ population: 50 });
  const db = s.ws.app.db;
  saveOrganization(db, { ...getOrganization(db)!, region: 'atyrau', timezone: 'Asia/Atyrau', workstationPrefix: 'AT1' });
  adoptRegionActs(s.ws.app);
  resetWorkflowCaches(s.ws.app);
  upsertPerson(
    db,
    {
      iin: AIGERIM,
      surname: 'Сейтқалиева',
      givenName: 'Әйгерім',
      patronymic: 'Нұрланқызы',
      birthDate: '1992-04-14',
      sex: 'F',
      address: 'Атырау қ., Азаттық д-лы, 7',
      phone: null,
      source: 'register',
    },
    s.ws.app.clock(),
  );
  // The phthisiatrician signs the certificate with a SoftHSM2 token.
  desk = setUpPhysicianToken(s.ws.app, 'phthisiatrician');
});
afterAll(async () => {
  await s?.close();
  desk?.cleanup();
});

async function openQueue(page: Page) {
  await page.locator('[data-nav="queue"]').click();
  await page
    .locator('h1')
    .filter({ hasText: /Кезек|Барлық ашық/ })
    .waitFor();
}

async function logOut(page: Page) {
  await page.locator('[data-test="logout"]').click();
  await page.locator('input[name="login"]').waitFor();
}

/** Does the current step through `button` (the plain "complete", or the step's own action: check, pay, sign). */
async function completeCurrent(page: Page, stepId: string, button = '[data-test="complete-step"]', then?: () => Promise<void>) {
  const current = page.locator('[data-test="current-step"]');
  await expect.poll(() => current.getAttribute('data-step')).toBe(stepId);
  await page.locator(button).click();
  await then?.();
  await expect.poll(async () => (await current.count()) === 0 || (await current.getAttribute('data-step')) !== stepId).toBe(true);
}

describe('a TB dispensary certificate through every step of its regulation', () => {
  it('operator registers and does two steps, cashier and phthisiatrician finish, the survey is taken, the supervisor sees the dashboard', async () => {
    const { page } = await s.newPage();
    page.setDefaultTimeout(10_000);

    // --- the operator: registers the request from the keyboard and does the two operator steps -------------------
    await logIn(page, 'operator');
    await openQueue(page);
    expect(await page.locator('[data-test="queue-empty"]').textContent()).toContain('Сіздің қадамыңызды күтіп тұрған сұраныс жоқ');
    await page.keyboard.press('Alt+N');
    const form = page.locator('[data-test="start-form"]');
    await form.waitFor();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.name)).toBe('serviceId');
    // The TB dispensary's operator is offered the services an operator starts, not the polyclinic's.
    await expect
      .poll(() => form.locator('[data-test="start-service"] option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value)))
      .toEqual(['tb-certificate']);
    await form.locator('[data-test="start-service"]').selectOption('tb-certificate');
    expect(await form.locator('[data-test="start-fee"]').inputValue()).toBe('1000');
    await form.locator('[data-test="start-iin"]').fill(AIGERIM);
    await expect.poll(() => form.locator('[data-test="start-person"]').textContent()).toContain('Сейтқалиева Әйгерім');
    await screenshot(page, 'e2e-workflow-1-new-request');
    await form.locator('[data-test="start-iin"]').press('Enter');

    const number = page.locator('[data-test="request-number"]');
    await expect.poll(() => number.textContent()).toMatch(/AT1-000001/);
    // The register check is its own action (registers.check): no plain "complete" on this step.
    await expect.poll(() => page.locator('[data-test="current-step"]').getAttribute('data-step')).toBe('register-check');
    expect(await page.locator('[data-test="complete-step"]').count()).toBe(0);
    await completeCurrent(page, 'register-check', '[data-test="register-check"]');
    expect(await page.locator('[data-test="register-answer"]').getAttribute('data-found')).toBe('no');
    await screenshot(page, 'e2e-workflow-2-operator-step');
    await completeCurrent(page, 'journal-entry');
    // Now the cashier's step: the operator sees who does it and cannot complete it.
    await expect.poll(() => page.locator('[data-test="current-step"]').getAttribute('data-step')).toBe('payment');
    expect(await page.locator('[data-test="not-yours"]').textContent()).toContain('Кассир');
    expect(await page.locator('[data-test="complete-step"]').count()).toBe(0);
    await logOut(page);

    // --- the cashier: opens the shift, then the request is in the cashier's queue; opened with the keyboard ----------
    await logIn(page, 'cashier');
    await page.locator('[data-nav="cash"]').click();
    await page.locator('[data-test="open-shift"]').click();
    await page.locator('[data-test="shift"][data-state="open"]').waitFor();
    await openQueue(page);
    const row = page.locator('tr[data-request="AT1-000001"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('Сейтқалиева Әйгерім');
    expect(await row.locator('[data-test="time-left"]').textContent()).toMatch(/қалды/);
    await row.focus();
    await screenshot(page, 'e2e-workflow-3-cashier-queue');
    await page.keyboard.press('Enter');
    expect(await page.locator('[data-test="pay-amount"]').textContent()).toContain('1 000 ₸');
    await completeCurrent(page, 'payment', '[data-test="pay"]');
    await logOut(page);

    // --- the phthisiatrician signs and hands over: the request ends; the survey of appendix 3 follows ---------------
    await logIn(page, 'phthisiatrician');
    await openQueue(page);
    await page.locator('tr[data-request="AT1-000001"]').click();
    await completeCurrent(page, 'sign-issue', '[data-test="sign-certificate"]', async () => {
      const dialog = page.locator('[data-test="sign-dialog"]');
      await dialog.locator('[data-test="pin"]').fill(TOKEN_PIN);
      await dialog.locator('[data-test="pin"]').press('Enter');
    });
    await expect.poll(() => page.locator('[data-test="request-status"]').getAttribute('data-status')).toBe('done');
    // The issued certificate opens in the print preview; closed to take the survey.
    await page.locator('[data-test="pdf-preview"]').waitFor();
    await page.locator('[data-test="pdf-close"]').click();
    const timeline = page.locator('[data-test="timeline"] li');
    expect(await timeline.count()).toBe(4);
    expect(await timeline.evaluateAll((els) => els.map((e) => e.getAttribute('data-step')))).toEqual([
      'register-check',
      'journal-entry',
      'payment',
      'sign-issue',
    ]);
    const survey = page.locator('[data-test="survey-form"]');
    await survey.waitFor();
    expect(await survey.textContent()).toContain(
      'Электрондық мемлекеттік қызметті көрсетудің үдеріс сапасына және нәтижесіне қанағаттанасыз ба?',
    );
    await survey.locator('[data-test="survey-q1"] input[value="satisfied"]').check();
    await survey.locator('[data-test="survey-q2"] input[value="partly-satisfied"]').check();
    await screenshot(page, 'e2e-workflow-4-done-survey');
    await survey.locator('[data-test="survey-save"]').click();
    await expect.poll(() => page.locator('[data-test="survey-recorded"]').textContent()).toContain('қанағаттанамын');
    await screenshot(page, 'e2e-workflow-5-timeline');
    await logOut(page);

    // A second request left waiting with its step already past the deadline, and a third about to run out: the
    // queue highlights them (the deadlines are moved back in the database, as time passing would).
    const op = await s.ws.as('operator');
    const late = await op.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: makeIin('1980-02-02', 'M', 44) });
    const soon = await (
      await s.ws.as('registrar')
    ).call('requests.start', { serviceId: 'psychoneurological-certificate', channel: 'desk', iin: AIGERIM });
    const db = s.ws.app.db;
    const back = (id: number, startedAgoMin: number, leftMin: number) => {
      const now = s.ws.app.clock().getTime();
      db.prepare(
        `UPDATE request_step SET started_ms = ?, started_at = ?, deadline_ms = ?, deadline_at = ? WHERE request_id = ? AND completed_ms IS NULL`,
      ).run(
        now - startedAgoMin * 60_000,
        new Date(now - startedAgoMin * 60_000).toISOString(),
        now + leftMin * 60_000,
        new Date(now + leftMin * 60_000).toISOString(),
        id,
      );
    };
    back(late.id, 40, -25);
    await logIn(page, 'operator');
    await openQueue(page);
    await expect.poll(() => page.locator(`tr[data-request="${late.number}"]`).getAttribute('data-status')).toBe('overdue');
    expect(await page.locator(`tr[data-request="${late.number}"] [data-test="time-left"]`).textContent()).toMatch(/кешікті/);
    await logOut(page);
    back(soon.id, 28, 2);
    await logIn(page, 'registrar');
    await openQueue(page);
    await expect.poll(() => page.locator(`tr[data-request="${soon.number}"]`).getAttribute('data-status')).toBe('due-soon');
    await screenshot(page, 'e2e-workflow-6-registrar-queue-due-soon');
    await logOut(page);

    // --- the supervisor: the deadline dashboard, the steps of the service, the CSV export -------------------------
    await logIn(page, 'admin');
    await page.locator('[data-nav="queue"]').click();
    await page.locator('tr[data-request]').first().waitFor();
    await screenshot(page, 'e2e-workflow-7-all-open-requests');
    await page.locator('[data-nav="deadlines"]').click();
    const tb = page.locator('[data-test="stats"] tr.service[data-service="tb-certificate"]');
    await tb.waitFor();
    expect(await tb.locator('[data-col="onTime"]').textContent()).toBe('1');
    // The late request is still within its whole-request hour (in progress), but its first step is overdue.
    expect(await tb.locator('[data-col="overdue"]').textContent()).toBe('0');
    expect(await tb.locator('[data-col="pending"]').textContent()).toBe('1');
    expect(await page.locator('[data-test="chart"] g[data-service="tb-certificate"] rect[data-part="on"]').getAttribute('data-n')).toBe(
      '1',
    );
    await page.locator('[data-toggle="tb-certificate"]').click();
    expect(await page.locator('[data-test="stats"] tr.stepRow').count()).toBe(4);
    expect(await page.locator('[data-test="stats"] tr.stepRow[data-step="register-check"] [data-col="overdue"]').textContent()).toBe('1');
    expect(await page.locator('[data-test="survey-report"] tr[data-service="tb-certificate"]').textContent()).toContain('1');
    await screenshot(page, 'e2e-workflow-8-dashboard');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="export"]').click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^deadlines_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    expect(csv).toContain('Туберкулез диспансерінен анықтама беру;(өтінім толығымен)');

    // --- the regulations in force for the region today --------------------------------------------------------
    await page.locator('[data-nav="regulations"]').click();
    await page.locator('[data-test="in-force"] tr[data-service="tb-certificate"]').waitFor();
    expect(await page.locator('[data-test="region"]').textContent()).toContain('Атырау облысы');
    expect(await page.locator('[data-test="in-force"] tr[data-service]').count()).toBe(7);
    await screenshot(page, 'e2e-workflow-9-regulations');
    // No field key or zone identifier on the Kazakh screen: the zone by its place, the start date in words.
    const regulationsText = (await page.locator('main').textContent())!;
    expect(regulationsText).not.toContain('effectiveFrom');
    expect(regulationsText).not.toContain('Asia/');
    expect(regulationsText).toContain('Атырау (UTC+5)');

    // Importing a successor: a broken file is refused naming the file and the field; the fixed one is accepted
    // and listed as taking effect on its date, the current version ending the day before.
    const tbFile = JSON.parse(
      fs.readFileSync(new URL('../../resources/regulations/atyrau-2014/tb-certificate.json', import.meta.url), 'utf8'),
    );
    // The successor takes effect on the first of the month after next, by the workstation's clock (any year).
    const today = localDate(s.ws.app.clock(), 'Asia/Atyrau');
    const [year, month] = today.split('-').map(Number) as [number, number];
    const effectiveFrom = new Date(Date.UTC(year, month + 1, 1)).toISOString().slice(0, 10);
    const next = {
      ...tbFile,
      act: { ...tbFile.act, number: '12', date: today, registration: undefined, repealedBy: undefined },
      effectiveFrom,
      effectiveTo: null,
    };
    const broken = { ...next, steps: [{ ...next.steps[0], role: 'doctor' }, ...next.steps.slice(1)] };
    const file = page.locator('[data-test="import-file"]');
    await file.setInputFiles({
      name: 'tb-certificate-next.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(broken)),
    });
    await page.locator('[data-test="import-submit"]').click();
    const issues = page.locator('[data-test="import-issues"]');
    // The problem in the screen's language; the file and field as written in the file.
    await expect.poll(() => issues.textContent()).toContain('imported/tb-certificate-next.json: steps[0].role');
    expect(await issues.textContent()).toContain('мұндай мәнге рұқсат жоқ');
    await issues.scrollIntoViewIfNeeded();
    await screenshot(page, 'e2e-workflow-10-import-refused');
    await file.setInputFiles({ name: 'tb-certificate-next.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(next)) });
    await page.locator('[data-test="import-submit"]').click();
    await expect.poll(() => page.locator('[data-test="import-ok"]').textContent()).toContain(effectiveFrom);
    await expect.poll(() => page.locator(`[data-test="upcoming"] tr[data-key="atyrau/tb-certificate@${effectiveFrom}"]`).count()).toBe(1);
    // The repealed act keeps its own end (2015-11-02) and runs by the clinic's adoption until the successor starts.
    await expect
      .poll(() => page.locator('[data-test="in-force"] tr[data-service="tb-certificate"] [data-test="period"]').textContent())
      .toContain('2014-07-04 – 2015-11-02');
    await screenshot(page, 'e2e-workflow-11-import-accepted');
  }, 90_000);
});
