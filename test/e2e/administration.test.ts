/**
 * The Administration screen in the real renderer (issue 16): an administrator backs up, the data changes, the
 * restore preview shows the copy's older counts, the restore brings them back; the audit check answers in words;
 * a register file is imported with its rejected rows named by line and field; a new one-time link opens a second
 * browser; the staff screen asks before resetting a password. Screenshots at 1366×768 and 1024×768, kk and ru.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../common/iin';
import { CSV_HEADER, generatePeople, personCsvLine } from '../../electron/services/demo-population';
import { caller, TEST_PASSWORD } from '../helpers/app';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';

let s: BrowserSession;
beforeAll(async () => {
  s = await startBrowserSession({ population: 30 });
}, 180_000);
afterAll(async () => s?.close());

const people = () => (s.ws.app.db.prepare('SELECT count(*) AS n FROM person').get() as { n: number }).n;

describe('the Administration screen', () => {
  it(
    'backs up, previews the older counts, restores them; checks the audit log; imports a register file',
    { timeout: 120_000 },
    async () => {
      const { page, context } = await s.newPage();
      await page.setViewportSize({ width: 1366, height: 768 });
      await logIn(page, 'admin');
      await page.goto(`${s.host.url}/#/administration`);
      await page.locator('[data-test="admin-page"]').waitFor();

      await page.locator('[data-test="backup-take"]').click();
      await page.locator('[data-test="backup-notice"]').waitFor();
      const before = people();
      const api = caller(s.ws.app);
      await api.call('session.login', { login: 'admin', password: TEST_PASSWORD });
      await api.call('people.createManual', { iin: makeIin('1992-03-04', 'M', 777), surname: 'Сейтов', givenName: 'Нұрлан' });
      expect(people()).toBe(before + 1);

      await page.locator('[data-test="backup-preview"]').first().click();
      const box = page.locator('[data-test="backup-preview-box"]');
      await box.waitFor();
      expect(await box.locator('[data-count="people"] [data-test="was"]').textContent()).toBe(String(before));
      // Focus moved to the preview's heading: the keyboard user is where the decision is.
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H3');
      await page.locator('[data-test="audit-check"]').click();
      await page.locator('[data-test="audit-result"]').waitFor();
      expect(await page.locator('[data-test="audit-result"]').getAttribute('data-ok')).toBe('true');
      expect(await page.locator('[data-test="audit-result"]').textContent()).toMatch(/Аудит журналы тұтас/);
      await screenshot(page, 'administration-kk-1366');
      await page.setViewportSize({ width: 1024, height: 768 });
      await screenshot(page, 'administration-kk-1024');

      // The restore needs the confirmation box ticked.
      expect(await page.locator('[data-test="backup-restore"]').isDisabled()).toBe(true);
      await page.locator('[data-test="backup-confirm"]').check();
      await page.locator('[data-test="backup-restore"]').click();
      await page.locator('[data-test="backup-restored"]').waitFor();
      expect(people()).toBe(before);
      await screenshot(page, 'administration-restored-kk-1024');
      await page.locator('[data-test="backup-login-again"]').click();
      await page.locator('input[name="login"]').waitFor();
      await logIn(page, 'admin');

      // The register import: two good rows, a bad IIN, a surname of digits.
      await page.locator('[data-lang="ru"]').click();
      await page.goto(`${s.host.url}/#/administration`);
      const csv = [
        'iin,surname,given_name',
        `${makeIin('1985-01-02', 'F', 901)},Иванова,Мария`,
        '123456789012,Петров,Пётр',
        `${makeIin('1970-06-07', 'M', 902)},Ахметов,Болат`,
        `${makeIin('1971-06-07', 'M', 903)},12345,Ерлан`,
      ].join('\n');
      await page
        .locator('[data-test="import-file"]')
        .setInputFiles({ name: 'register.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.locator('[data-test="import-start"]').click();
      await page.locator('[data-test="import-done"]').waitFor();
      expect(await page.locator('[data-test="import-done"]').textContent()).toMatch(/загружено 2, отклонено 2/);
      const rejected = await page.locator('[data-test="import-rejected"] tbody tr').allTextContents();
      expect(rejected[0]).toMatch(/строка 3.*ИИН.*неверный ИИН/);
      expect(rejected[1]).toMatch(/строка 5.*Фамилия/);
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="import-rejected-file"]').click()]);
      expect(download.suggestedFilename()).toBe('register.rejected.csv');
      // The file speaks the user's language, like the screen.
      const saved = fs.readFileSync((await download.path())!, 'utf8');
      expect(saved.split('\n')[0]).toBe('\uFEFFСтрока,ИИН,Поле,Причина');
      expect(saved).toContain('3,123456789012,"ИИН","неверный ИИН');

      // A large register: the rate and the time left while it reads; stopped, the register stays as it was. Large
      // enough that reading lasts some seconds on a fast machine, so the rate is on the screen before Stop (Stop
      // also lands while the new register is sorted and indexed: services/population-import.test.ts).
      // (Written to a file: the browser is handed it by path, a buffer that large it refuses.)
      const big = path.join(s.ws.dir, 'big.csv');
      fs.writeFileSync(big, [CSV_HEADER, ...[...generatePeople(500_000, 8)].map(personCsvLine)].join('\n'));
      await page.locator('[data-test="import-file"]').setInputFiles(big);
      await page.locator('[data-test="import-start"]').click();
      await page.locator('[data-test="import-progress-text"]', { hasText: /строк в секунду; осталось около \d+:\d\d/ }).waitFor();
      await screenshot(page, 'administration-import-progress-ru-1024');
      await page.locator('[data-test="import-cancel"]').click();
      await page.locator('[data-test="import-cancelled"]').waitFor();
      expect(await page.locator('[data-test="import-cancelled"]').textContent()).toContain('Регистр остался прежним');

      // Again, to the end: while the new register is sorted and indexed, the screen says so and Stop is still there
      // (services/population-import.test.ts shows Stop landing in that phase).
      await page.locator('[data-test="import-file"]').setInputFiles(big);
      await page.locator('[data-test="import-start"]').click();
      await page.locator('[data-test="import-progress-text"]', { hasText: 'Новый регистр упорядочивается и индексируется' }).waitFor();
      expect(await page.locator('[data-test="import-cancel"]').isVisible()).toBe(true);
      await screenshot(page, 'administration-import-finishing-ru-1024');
      await page.locator('[data-test="import-done"]').waitFor({ timeout: 60_000 });
      // The counts grouped as the language writes them (500 000), not a run of digits.
      expect(await page.locator('[data-test="import-done"]').textContent()).toMatch(
        /Прочитано строк: 500\s000; загружено 500\s000, отклонено 0/,
      );

      // A new one-time link for another browser, without restarting.
      await page.locator('[data-test="link-issue"]').click();
      const url = await page.locator('[data-test="link-url"]').inputValue();
      expect(url.startsWith(`${s.host.url}/?token=`)).toBe(true);
      await page.setViewportSize({ width: 1366, height: 768 });
      await screenshot(page, 'administration-ru-1366');
      await page.setViewportSize({ width: 1024, height: 768 });
      await screenshot(page, 'administration-ru-1024');
      const other = await s.browser.newContext();
      const second = await other.newPage();
      await second.goto(url);
      await second.locator('input[name="login"]').waitFor();
      await other.close();

      // The staff screen asks before a password reset, with Cancel focused; the password is shown once.
      await page.goto(`${s.host.url}/#/staff`);
      const row = page.locator('tr[data-login="cashier"]');
      await row.locator('[data-test="reset-ask"]').click();
      expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.test)).toBe('reset-cancel');
      await page.keyboard.press('Enter');
      await row.locator('[data-test="reset-ask"]').waitFor();
      expect(await page.locator('[data-test="staff-notice"]').count()).toBe(0);
      await row.locator('[data-test="reset-ask"]').click();
      await screenshot(page, 'staff-reset-confirm-ru-1024');
      await page.locator('tr[data-confirm-for="cashier"] [data-test="reset-confirm"]').click();
      expect(await page.locator('[data-test="staff-notice"]').textContent()).toMatch(/Временный пароль для cashier/);
      // Disabling an account asks too, in the window's dialog: Cancel keeps it enabled, the confirmation disables it.
      await row.locator('[data-test="toggle-disabled"]').click();
      const confirm = page.locator('[data-test="confirm-dialog"]');
      expect(await confirm.locator('[data-test="confirm-message"]').textContent()).toContain('Заблокировать учётную запись');
      await confirm.locator('[data-test="confirm-cancel"]').click();
      expect(await row.getAttribute('class')).not.toContain('dim');
      await row.locator('[data-test="toggle-disabled"]').click();
      await confirm.locator('[data-test="confirm-ok"]').click();
      await expect.poll(() => row.getAttribute('class')).toContain('dim');
      await context.close();
    },
  );
});
