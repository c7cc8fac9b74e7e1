/**
 * Forms that fit (issue 16, point 4): each desk role of the test clinic opens each of its screens in kk and ru at
 * the desks' real windows. At 1366×768 the screen's form and its primary button are in the window without
 * scrolling; at 1024×768 the screen is usable (vertical scrolling allowed). At both: nothing wider than the window,
 * no button or label cut off, no table wider than its box. Every screen is saved as a PNG to look at
 * (LAYOUT_SHOTS, or test-results/layout, printed by the test).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../common/iin';
import { getOrganization, saveOrganization } from '../../db/organization';
import { adoptRegionActs, addToRegister, caller, TEST_PASSWORD } from '../helpers/app';
import { logIn, SCREENSHOTS, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { localInstant, nextWorkingDay, realNow, RunningClock } from '../helpers/clock';
import { DINARA, seedDinara } from '../helpers/e2e-people';
import { layoutProblems, type FitOptions } from './layout-probe';

const SIZES = [
  { width: 1366, height: 768, aboveFold: true },
  { width: 1024, height: 768, aboveFold: false },
] as const;
const LANGUAGES = ['kk', 'ru'] as const;
const AIGERIM = makeIin('1992-04-14', 'F', 31);

const running = new RunningClock(localInstant(nextWorkingDay(realNow()), '09:30').getTime());
// Kept after the run (beside the other suites' screenshots), to be looked at: the run's temporary folder is removed.
const shots = process.env.LAYOUT_SHOTS ?? path.join(SCREENSHOTS, '..', 'layout');
let s: BrowserSession;
/** A TB certificate request at the register check, and one at the cash desk. */
const requests = { check: 0, payment: 0 };

interface Visit extends Omit<FitOptions, 'aboveFold'> {
  /** The route (hash path) or a function of the prepared requests. */
  path: string | (() => string);
  /** Brings the screen into the state a person works in (the form open), then waits for it. */
  prepare?: (page: Page) => Promise<void>;
  /** What shows the screen is ready. */
  ready?: string;
}

const person = (p: string) => `${p}?iin=${DINARA}`;
const openStartForm = async (page: Page) => {
  await page.keyboard.press('Alt+N');
  await page.locator('[data-test="start-form"]').waitFor();
};
const searchDinara = async (page: Page) => {
  await page.locator('#person-query').fill(DINARA);
  await page.locator('.person-card').first().waitFor();
};
/** The person's own district doctor heads the list: Enter shows their free times. */
const ownDoctorSlots = async (page: Page) => {
  await page.locator('[data-test="who-list"]').waitFor();
  await page.locator('[data-test="ap-who"]').press('Enter');
  await page.locator('[data-slot-index="0"]').waitFor();
};
const startForm = { prepare: openStartForm, form: '[data-test="start-form"]', primary: '[data-test="start-submit"]' };

const SCREENS: Record<string, Record<string, Visit>> = {
  registrar: {
    home: { path: '/', ready: '.tiles' },
    people: { path: '/people', prepare: searchDinara },
    'home-visit': { path: person('/desk/home-visit'), form: '[data-test="visit-form"]', primary: '[data-test="hv-submit"]' },
    // The person's own district doctor comes pre-selected: the earliest free slot is the booking's "submit".
    appointments: { path: person('/desk/appointments'), prepare: ownDoctorSlots, primary: '[data-slot-index="0"]' },
    attachment: { path: person('/desk/attachment'), form: '[data-test="attach-form"]', primary: '[data-test="at-submit"]' },
    journals: { path: '/desk/journals', ready: 'table' },
    timetables: { path: '/desk/timetables' },
    erequests: { path: '/erequests' },
    queue: { path: '/queue', ...startForm },
    certificates: { path: '/certificates', form: '[data-test="certificates-form"]' },
  },
  operator: {
    queue: { path: '/queue', ...startForm },
    'dispensary-check': {
      path: () => `/requests/${requests.check}`,
      form: '[data-test="register-check-form"]',
      primary: '[data-test="register-check"]',
    },
  },
  cashier: {
    cash: { path: '/cash', form: '[data-test="journal-form"]' },
    payment: { path: () => `/requests/${requests.payment}`, form: '[data-test="payment-form"]', primary: '[data-test="pay"]' },
  },
  counsellor: {
    'hiv-follow-ups': { path: '/hiv/follow-ups' },
    'hiv-start': { path: '/queue', ...startForm },
  },
  therapist: {
    queue: { path: '/queue' },
    journals: { path: '/desk/journals' },
  },
  admin: {
    deadlines: { path: '/deadlines', form: '[data-test="range"]', primary: '[data-test="show"]' },
    regulations: { path: '/regulations' },
    staff: { path: '/staff' },
    prices: { path: '/prices', form: '[data-test="price-form"]', primary: '[data-test="price-save"]' },
    registers: { path: '/registers', form: '[data-test="register-import-form"]', primary: '[data-test="import-start"]' },
    organization: { path: '/organization', form: '[data-test="org-form"]', primary: '[data-test="org-save"]' },
    sync: { path: '/sync' },
    administration: { path: '/administration' },
    timetables: { path: '/desk/timetables' },
  },
};

beforeAll(async () => {
  s = await startBrowserSession({ clock: running.read, population: 40 });
  const { app } = s.ws;
  // An Atyrau clinic: the front desk's services and the dispensary, cash and HIV services on one desk.
  saveOrganization(app.db, { ...getOrganization(app.db)!, region: 'atyrau', timezone: 'Asia/Atyrau', workstationPrefix: 'AT1' });
  adoptRegionActs(app);
  running.restart();
  seedDinara(app.db, running.now);
  addToRegister(app, { iin: AIGERIM, surname: 'Сейтқалиева', givenName: 'Әйгерім', address: 'Атырау қ., Сәтпаев к-сі, 3' });
  const as = async (login: string) => {
    const c = caller(app);
    await c.call('session.login', { login, password: TEST_PASSWORD });
    return c;
  };
  await (await as('admin')).call('prices.set', { serviceId: 'tb-certificate', feeKzt: 1500, effectiveFrom: '2026-01-01' });
  const operator = await as('operator');
  requests.check = (await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: DINARA })).id;
  const paying = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: AIGERIM });
  await operator.call('registers.check', { requestId: paying.id });
  await operator.call('requests.completeStep', { requestId: paying.id, stepId: 'journal-entry' });
  requests.payment = paying.id;
  await (await as('cashier')).call('cash.openShift', {});
  fs.mkdirSync(shots, { recursive: true });
  console.log(`layout screenshots: ${shots}`);
}, 180_000);
afterAll(async () => s?.close());

async function open(page: Page, visit: Visit): Promise<void> {
  const route = typeof visit.path === 'function' ? visit.path() : visit.path;
  // Through the home screen: the screen opens afresh, as from the menu, even when it was the last one shown.
  await page.goto(page.url().replace(/#.*$/, '#/'));
  await page.locator('.tiles').waitFor();
  await page.goto(page.url().replace(/#.*$/, `#${route}`));
  await page.locator('main.content h1').first().waitFor();
  if (visit.ready) await page.locator(visit.ready).first().waitFor();
  if (visit.form && !visit.prepare) await page.locator(visit.form).first().waitFor();
  await visit.prepare?.(page);
  await page.waitForTimeout(250); // lists that load after the heading
}

describe('forms that fit the desks’ windows', () => {
  it('every desk screen of every role, in kk and ru, at 1366×768 and 1024×768', { timeout: 900_000 }, async () => {
    const { page } = await s.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    for (const [login, screens] of Object.entries(SCREENS)) {
      await logIn(page, login);
      for (const lang of LANGUAGES) {
        await page.locator(`[data-lang="${lang}"]`).click();
        await expect
          .poll(() =>
            page.evaluate(() => document.documentElement.lang || document.querySelector('.lang-switch .active')?.getAttribute('data-lang')),
          )
          .toBe(lang);
        for (const [name, visit] of Object.entries(screens)) {
          // Opened once at the larger window, then the window is made smaller: the same state at both sizes.
          await page.setViewportSize(SIZES[0]);
          await open(page, visit).catch(async (e: unknown) => {
            await page.screenshot({ path: path.join(shots, `FAILED-${lang}-${login}-${name}.png`) });
            throw e;
          });
          for (const size of SIZES) {
            await page.setViewportSize({ width: size.width, height: size.height });
            await page.waitForTimeout(100);
            const found = await layoutProblems(page, { form: visit.form, primary: visit.primary, aboveFold: size.aboveFold });
            const label = `${lang} ${size.width}×${size.height} ${login} ${name}`;
            problems.push(...found.map((p) => `${label}: ${p}`));
            await page.screenshot({ path: path.join(shots, `${lang}-${size.width}-${login}-${name}.png`) });
          }
        }
      }
      await page.locator('[data-test="logout"]').click();
      await page.locator('input[name="login"]').waitFor();
    }
    expect(problems).toEqual([]);
  });

  it('puts a refusal next to the control that caused it, described by it and announced', { timeout: 120_000 }, async () => {
    const { page } = await s.newPage();
    page.setDefaultTimeout(15_000);
    await page.setViewportSize(SIZES[0]);
    await logIn(page, 'registrar');
    await page.locator('[data-lang="kk"]').click();

    // F3 without a doctor: the message is under the doctor's list, which points at it; the summary is announced.
    await open(page, SCREENS.registrar!['home-visit']!);
    const doctor = page.locator('[data-test="hv-doctor"]');
    await doctor.selectOption({ index: 0 });
    await page.locator('[data-test="hv-submit"]').click();
    await expect.poll(() => doctor.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await doctor.getAttribute('aria-describedby'))!;
    const message = page.locator(`#${describedBy}`);
    expect(await message.textContent()).toContain('Дәрігерді таңдаңыз');
    const [control, below] = [(await doctor.boundingBox())!, (await message.boundingBox())!];
    expect(below.y - (control.y + control.height)).toBeGreaterThanOrEqual(0);
    expect(below.y - (control.y + control.height)).toBeLessThan(12);
    expect(Math.abs(below.x - control.x)).toBeLessThan(4);
    const summary = page.locator('[data-test="visit-form"] [role="alert"]');
    expect(await summary.textContent()).toContain('Дәрігерді таңдаңыз');
    // The summary is by the button, in the window, not at the top of the page.
    const button = (await page.locator('[data-test="hv-submit"]').boundingBox())!;
    expect(button.y - (await summary.boundingBox())!.y).toBeLessThan(120);
    expect(button.y + button.height).toBeLessThanOrEqual(768);
    await page.screenshot({ path: path.join(shots, 'kk-1366-registrar-home-visit-error.png') });
    // Choosing a doctor and registering clears the marks.
    await doctor.selectOption({ index: 1 });
    await page.locator('[data-test="hv-complaint"]').fill('Қызуы 38');
    await page.locator('[data-test="hv-submit"]').click();
    await page.locator('[data-test="hv-saved"]').waitFor();

    // A new request the main process refuses: the refusal is in the form, by its button, not above the queue.
    await open(page, SCREENS.registrar!.queue!);
    await page.locator('[data-test="start-iin"]').fill('');
    await page.locator('[data-test="start-submit"]').click();
    const inForm = page.locator('[data-test="start-form"] [role="alert"]');
    await inForm.waitFor();
    expect(await page.locator('[data-test="queue-error"]').count()).toBe(0);
    // It names the field by its label, marked under the IIN box; no argument name reaches the screen.
    expect(await inForm.textContent()).toContain('Көрсетілетін қызметті алушының ЖСН');
    expect(await inForm.textContent()).not.toMatch(/[A-Za-z]/);
    expect(await page.locator('[data-test="start-iin"]').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: path.join(shots, 'kk-1366-registrar-queue-start-error.png') });

    // The manual person form with a phone the main process refuses: marked under the phone box, announced in the form.
    await open(page, SCREENS.registrar!.people!);
    await page.locator('#person-query').fill(makeIin('2001-05-05', 'M', 77));
    await page.locator('[data-test="enter-manually"]').click();
    const manual = page.locator('[data-test="manual-form"]');
    await manual.locator('input[name="surname"]').fill('Әбдірахманов');
    await manual.locator('input[name="givenName"]').fill('Әлихан');
    const phone = manual.locator('input[name="phone"]');
    await phone.fill('телефон жоқ');
    await phone.press('Enter');
    await expect.poll(() => phone.getAttribute('aria-invalid')).toBe('true');
    const phoneMessage = page.locator(`#${await phone.getAttribute('aria-describedby')}`);
    const [phoneBox, phoneBelow] = [(await phone.boundingBox())!, (await phoneMessage.boundingBox())!];
    expect(phoneBelow.y - (phoneBox.y + phoneBox.height)).toBeGreaterThanOrEqual(0);
    expect(phoneBelow.y - (phoneBox.y + phoneBox.height)).toBeLessThan(12);
    expect(await manual.locator('[role="alert"]').textContent()).toContain('Телефон');
    expect(await manual.locator('[aria-invalid="true"]').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'kk-1366-registrar-manual-person-error.png') });

    // A login already taken: said under the login box of the new account's form, not above the staff list.
    await page.locator('[data-test="logout"]').click();
    await logIn(page, 'admin');
    // The admin's language is whatever the sweep above left it in: this part reads the Kazakh labels.
    await page.locator('[data-lang="kk"]').click();
    await open(page, SCREENS.admin!.staff!);
    await page.locator('[data-test="add-staff"]').click();
    await page.locator('[data-test="staff-form"] input[name="login"]').fill('registrar');
    await page.locator('[data-test="staff-form"] input[name="fullName"]').fill('Сынақ Тіркеуші');
    await page.locator('[data-test="staff-form"] button[type="submit"]').click();
    const login = page.locator('[data-test="staff-form"] input[name="login"]');
    await expect.poll(() => login.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await login.getAttribute('aria-describedby')}`).textContent()).toMatch(/\S/);
    expect(await page.locator('[data-test="staff-form"] [role="alert"]').count()).toBe(1);
    expect(await page.locator('[data-test="staff-error"]').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, '1366-admin-staff-error.png') });

    // The organization screen without its Kazakh name: marked under that box, the summary in the form by its button.
    await open(page, SCREENS.admin!.organization!);
    const nameKk = page.locator('[data-test="org-form"] input[name="name.kk"]');
    await nameKk.fill('');
    await page.locator('[data-test="org-save"]').click();
    await expect.poll(() => nameKk.getAttribute('aria-invalid')).toBe('true');
    const nameMessage = page.locator(`#${await nameKk.getAttribute('aria-describedby')}`);
    expect(await nameMessage.textContent()).toMatch(/\S/);
    const [nameBox, nameBelow] = [(await nameKk.boundingBox())!, (await nameMessage.boundingBox())!];
    expect(nameBelow.y - (nameBox.y + nameBox.height)).toBeGreaterThanOrEqual(0);
    expect(nameBelow.y - (nameBox.y + nameBox.height)).toBeLessThan(12);
    expect(Math.abs(nameBelow.x - nameBox.x)).toBeLessThan(4);
    const orgSummary = page.locator('[data-test="org-form"] [role="alert"]');
    expect(await orgSummary.textContent()).toContain('Атауы (қазақша)');
    expect(await orgSummary.textContent()).not.toMatch(/[A-Za-z]/);
    expect(await page.locator('[data-test="org-error"]').count()).toBe(0);
    // Only the refused box is marked.
    expect(await page.locator('[data-test="org-form"] [aria-invalid="true"]').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'kk-1366-admin-organization-error.png') });
    // Its label in the summary takes the focus to the box.
    await orgSummary.locator('button').first().click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('name.kk');

    // A register file without the columns: marked under the file button, whose input points at the message.
    await open(page, SCREENS.admin!.registers!);
    await page
      .locator('[data-test="import-csv"]')
      .setInputFiles({ name: 'tb.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') });
    await page.locator('[data-test="import-start"]').click();
    const fileInput = page.locator('[data-test="import-csv"]');
    await expect.poll(() => fileInput.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await fileInput.getAttribute('aria-describedby')}`).isVisible()).toBe(true);
    expect(await page.locator('[data-test="import-form-error"]').getAttribute('role')).toBe('alert');
    expect(await page.locator('[data-test="import-error"]').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'kk-1366-admin-registers-error.png') });

    // A file with rejected rows: each reason in the screen's language, none in English.
    const good = makeIin('1980-02-03', 'F', 71);
    const rows = [
      'iin,from_date,removed_on',
      `${good},2015-01-01,`,
      '123,2015-01-01,',
      `${good},2016-01-01,`,
      `${makeIin('1981-02-03', 'M', 72)},2015-13-01,`,
    ];
    await page
      .locator('[data-test="import-csv"]')
      .setInputFiles({ name: 'tb.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await page.locator('[data-test="import-start"]').click();
    const reasons = page.locator('[data-test="rejected-rows"] tbody td:nth-child(2)');
    await expect.poll(() => reasons.count()).toBe(3);
    for (const text of await reasons.allTextContents()) expect(text).not.toMatch(/[A-Za-z]{3}/);
    expect(await reasons.first().textContent()).toContain('ЖСН');
    await page.screenshot({ path: path.join(shots, 'kk-1366-admin-registers-rejected.png') });
  });
});
