/** A registrar books appointments from the keyboard, meets a slot taken meanwhile by another desk, prints a slip, cancels. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../common/iin';
import { upsertPerson } from '../../db/people';
import { caller, TEST_PASSWORD } from '../helpers/app';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { RunningClock } from '../helpers/clock';
import { DINARA, seedDinara } from '../helpers/e2e-people';

// (The clock starts once the session is up: building the renderer must not eat the morning's first slots.)
const BASE = Date.parse('2026-03-10T03:58:00Z'); // 08:58: the 09:00 slots are still ahead
const running = new RunningClock(BASE);
const clock = running.read;

let s: BrowserSession;
const OTHER = makeIin('1972-11-05', 'M', 14);

beforeAll(async () => {
  s = await startBrowserSession({ clock, population: 100 });
  running.restart();
  seedDinara(s.ws.app.db, clock());
  upsertPerson(
    s.ws.app.db,
    {
      iin: OTHER,
      surname: 'Иванов',
      givenName: 'Сергей',
      patronymic: null,
      birthDate: '1972-11-05',
      sex: 'M',
      address: 'г. Астана, ул. Туран, 70',
      phone: null,
      source: 'register',
    },
    clock(),
  );
});
afterAll(async () => s?.close());

describe('appointments at the front desk', () => {
  it(
    'books the first free slot of any therapist in a few keys, prints the slip; a slot taken meanwhile is explained',
    { timeout: 60_000 },
    async () => {
      const { page } = await s.newPage();
      await logIn(page, 'registrar');
      await page.keyboard.press('F4');
      await page.locator('[data-test="desk-person"]').waitFor();
      await page.keyboard.type(DINARA);
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe('ap-who');
      await page.keyboard.type('тер');
      await page.locator('[data-test="who-list"]').waitFor();
      await screenshot(page, 'desk-appointments-who');
      await page.keyboard.press('Enter'); // "any district therapist"
      await page.locator('[data-slot-index="0"]').waitFor();
      expect(await page.locator('[data-test="unavailable"]').first().textContent()).toContain('демалыста');
      await screenshot(page, 'desk-appointments-slots');
      await page.keyboard.press('Enter'); // the earliest free slot
      const booked = page.locator('[data-test="ap-booked"]');
      await booked.waitFor();
      expect(await booked.textContent()).toContain('A4-P000001');
      expect(await booked.textContent()).toContain('09:00');
      await expect.poll(() => page.locator('[data-test="upcoming"] li').count()).toBe(1);
      await screenshot(page, 'desk-appointments-booked');
      await page.keyboard.press('Enter'); // the slip
      await page.locator('[data-test="pdf-preview"]').waitFor();
      await page.waitForTimeout(800);
      await screenshot(page, 'desk-appointments-slip');
      await page.keyboard.press('Escape');
      await page.locator('[data-test="pdf-preview"]').waitFor({ state: 'detached' });

      // Another desk takes the slot the registrar is about to book: the database refuses the second booking.
      const slot = page.locator('[data-slot-index="0"]');
      const [date, time] = (await slot.getAttribute('data-slot'))!.split(' ');
      const other = caller(s.ws.app);
      await other.call('session.login', { login: 'registrar', password: TEST_PASSWORD });
      const free = await other.call('appointments.freeSlots', { specialty: 'therapist', limit: 1 });
      expect(`${free.slots[0]!.date} ${free.slots[0]!.time}`).toBe(`${date} ${time}`);
      await other.call('appointments.book', {
        iin: OTHER,
        doctorId: free.slots[0]!.doctorId,
        slotStart: free.slots[0]!.start,
        channel: 'desk',
      });
      await page.locator('[data-test="slots"]').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('[data-test="ap-error"]').textContent()).toContain('басқа үстелден бос емес болды');
      await screenshot(page, 'desk-appointments-slot-taken');

      // Cancel with a reason.
      await page.locator('[data-test="upcoming"] [data-test="cancel"]').first().click();
      await page.locator('[data-test="cancel-reason"]').fill('Науқас бас тартты');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('[data-test="upcoming"] li').count()).toBe(0);

      // The pre-registration journal shows both the booking and its cancellation.
      await page.keyboard.press('F9');
      await page.locator('[data-journal="appointments"]').click();
      await expect.poll(() => page.locator('[data-test="j-table"] tbody tr').count()).toBe(2);
      expect(await page.locator('[data-test="j-totals"]').textContent()).toContain('Барлығы: 2');
      await screenshot(page, 'desk-journal-appointments');

      // The period typed as digits into the project's date fields; a day the calendar lacks is said beside its field.
      const from = page.locator('[data-test="j-from"]');
      const to = page.locator('[data-test="j-to"]');
      await from.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('1.3.2026');
      await to.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('31022026');
      expect(await from.inputValue()).toBe('01.03.2026');
      expect(await to.getAttribute('aria-invalid')).toBe('true');
      const problem = page.locator(`#${await to.getAttribute('aria-describedby')}`);
      expect(await problem.textContent()).toBe('Соңы: күнтізбеде мұндай күн жоқ');
      await screenshot(page, 'desk-journal-date-error');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('10032026');
      expect(await to.getAttribute('aria-invalid')).toBeNull();
      await expect.poll(() => page.locator('[data-test="j-table"] tbody tr').count()).toBe(2);
    },
  );

  it('the administrator sees a doctor’s week with the holiday and edits the timetable', async () => {
    const { page } = await s.newPage();
    await logIn(page, 'admin');
    await page.goto(page.url().replace(/#.*$/, '#/desk/timetables'));
    await page.locator('[data-test="tt-week"]').waitFor();
    await page.locator('[data-test="tt-doctor"]').selectOption({ label: 'Дмитрий Сергеевич Ковалёв · учаскелік терапевт · 109' });
    await expect.poll(() => page.locator('[data-date="2026-03-09"]').textContent()).toContain('мереке');
    await screenshot(page, 'desk-timetable-week');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('[data-date="2026-03-17"]').textContent()).toContain('демалыста');
    await page.locator('[data-test="tt-edit"]').click();
    await page.locator('[data-test="tt-slot-min"]').fill('20');
    await screenshot(page, 'desk-timetable-edit');
    await page.locator('[data-test="tt-save"]').click();
    await expect.poll(() => page.locator('.badge', { hasText: '20 мин' }).count()).toBe(1);
  });
});
