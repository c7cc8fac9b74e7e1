/**
 * A registrar takes a phone call for a home visit: types the IIN, and the rest is a few keys. The number of
 * keystroke/click actions after the IIN is counted and printed (issue 4: at most 8).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../common/iin';
import { upsertPerson } from '../../db/people';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { RunningClock } from '../helpers/clock';
import { DINARA, seedDinara } from '../helpers/e2e-people';

// The workstation's clock runs from Tuesday 10 March 2026, 09:00 in Astana (a working day), whatever today is.
// (The clock starts once the session is up: building the renderer must not eat the morning's first slots.)
const BASE = Date.parse('2026-03-10T04:00:00Z');
const running = new RunningClock(BASE);
const clock = running.read;

let s: BrowserSession;
const ARMAN = makeIin('1990-01-20', 'M', 13);

beforeAll(async () => {
  s = await startBrowserSession({ clock, population: 100 });
  running.restart();
  const now = clock();
  seedDinara(s.ws.app.db, now);
  upsertPerson(
    s.ws.app.db,
    {
      iin: ARMAN,
      surname: 'Сейітов',
      givenName: 'Арман',
      patronymic: null,
      birthDate: '1990-01-20',
      sex: 'M',
      address: 'Астана қ., Сығанақ к-сі, 5-үй',
      phone: '+7 702 111 22 33',
      source: 'register',
    },
    now,
  );
});
afterAll(async () => s?.close());

describe('home-visit calls at the front desk', () => {
  it('registers a phone call in a handful of keys after the IIN, and prints the doctor’s list in route order', async () => {
    const { page } = await s.newPage();
    await logIn(page, 'registrar');
    // The registrar's home leads straight to the three services.
    expect(await page.locator('[data-tile="desk-home-visit"]').count()).toBe(1);
    await screenshot(page, 'desk-registrar-home');
    await page.keyboard.press('F3');
    await page.locator('[data-test="desk-person"]').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('desk-person');
    await page.keyboard.type(DINARA);

    // The address, phone, district, district doctor and the visit window are filled in; the complaint has focus.
    await page.locator('[data-test="visit-form"]').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe('hv-complaint');
    expect(await page.locator('[data-test="hv-address"]').inputValue()).toContain('Тұран д-лы, 12-үй');
    expect(await page.locator('[data-test="district-note"]').textContent()).toContain('№ 1');
    expect(await page.locator('[data-test="hv-from"]').inputValue()).toBe('10:00');
    // The project's date and time fields: dd.mm.yyyy and 24-hour HH:MM in Kazakh, typed as digits, ↑/↓ step the
    // minutes by a quarter hour. (Looked at and put back before the counted keystrokes.)
    const visitDate = page.locator('[data-test="hv-date"]');
    expect(await visitDate.inputValue()).toBe('10.03.2026');
    await visitDate.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('1032026');
    expect(await visitDate.inputValue()).toBe('10.03.2026');
    const to = page.locator('[data-test="hv-to"]');
    await to.click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowUp');
    expect(await to.inputValue()).toBe('14:15');
    await page.keyboard.press('ArrowDown');
    expect(await to.inputValue()).toBe('14:00');
    await page.locator('[data-test="hv-complaint"]').focus();

    let actions = 0;
    const act = async (fn: () => Promise<unknown>) => {
      await fn();
      actions++;
    };
    await act(() => page.keyboard.type('Қызуы 38,5, жөтел')); // the complaint (one field)
    await act(() => page.keyboard.press('Tab')); // to "who called"
    await act(() => page.keyboard.press('ArrowDown')); // a relative
    await screenshot(page, 'desk-home-visit-form');
    await act(() => page.keyboard.press('Control+Enter')); // enter it in the register
    const saved = page.locator('[data-test="hv-saved"]');
    await saved.waitFor();
    console.log(`home-visit phone call: ${actions} keystroke/click actions after the IIN (target ≤ 8)`);
    expect(actions).toBeLessThanOrEqual(8);
    expect(await saved.textContent()).toContain('A4-V000001');
    expect(await saved.textContent()).toContain('Асқар Нұрланұлы Жұмабаев');
    expect(await saved.textContent()).toContain('10:00–14:00');
    expect(await page.locator('[data-test="day-list"] li').first().textContent()).toContain('Тұран д-лы, 12-үй');
    // The request's clock started when the person was identified on the form, not at the save (issue 15).
    const request = s.ws.app.db
      .prepare(`SELECT created_ms, closed_ms FROM service_request WHERE service_id = 'home-visit' ORDER BY id LIMIT 1`)
      .get() as { created_ms: number; closed_ms: number };
    expect(request.closed_ms).toBeGreaterThan(request.created_ms);
    await screenshot(page, 'desk-home-visit-saved');

    // The doctor's list of the day, printable.
    await page.locator('[data-test="hv-print-day"]').click();
    await page.locator('[data-test="pdf-preview"]').waitFor();
    await page.waitForTimeout(800);
    await screenshot(page, 'desk-home-visit-print');
    await page.keyboard.press('Escape');
    await page.locator('[data-test="pdf-preview"]').waitFor({ state: 'detached' });

    // Next call: an address outside every district — a clear message, the district is chosen by hand.
    await page.locator('[data-test="hv-next"]').click();
    await page.keyboard.type(ARMAN);
    await page.locator('[data-test="outside"]').waitFor();
    expect(await page.locator('[data-test="outside"]').textContent()).toContain('ешбір учаскеге кірмейді');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe('hv-district');
    await screenshot(page, 'desk-home-visit-outside');
    await page.locator('[data-test="hv-complaint"]').fill('Бас ауруы');
    await page.locator('[data-test="hv-submit"]').click();
    await expect.poll(() => page.locator('[data-test="hv-error"]').textContent()).toContain('Дәрігерді таңдаңыз');
    await page.locator('[data-test="hv-district"]').selectOption({ label: '№ 3 — Сарыарқа — Абай — Кенесары' });
    await expect.poll(() => page.locator('[data-test="hv-doctor"]').inputValue()).not.toBe('');
    await page.locator('[data-test="hv-submit"]').click();
    await expect.poll(() => page.locator('[data-test="hv-saved"]').textContent()).toContain('A4-V000002');
  });
});
