/**
 * One clinic, many desks in the real renderer (issue 13): the administrator joins a desk to the clinic from the Sync
 * screen (checks whose code it is, then joins), sees the organization screen; a registrar whose booking lost its
 * slot to another desk sees whom to call on the appointments screen and moves the booking with F7 and Enter.
 * Two desks against one central server (PGlite): this one in Chromium, the other through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findStaffByLogin } from '../../db/staff';
import { createEnrollmentCode } from '../../server/enrollment';
import { caller, createTestWorkstation, TEST_PASSWORD, type TestWorkstation } from '../helpers/app';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { localInstant, nextWorkingDay, realNow, RunningClock } from '../helpers/clock';
import { startTestServer, type TestServer } from '../helpers/sync-server';
import { DINARA, seedDinara } from '../helpers/e2e-people';

const running = new RunningClock(localInstant(nextWorkingDay(realNow()), '09:00').getTime());
const clock = running.read;
const PROFILE = {
  name: { kk: '№4 қалалық емхана', ru: 'Городская поликлиника №4', en: 'City polyclinic No. 4' },
  region: 'astana',
  timezone: 'Asia/Almaty',
  address: 'Астана қ., Тұран д-лы, 1',
};

let s: BrowserSession;
let server: TestServer;
let other: TestWorkstation;

beforeAll(async () => {
  server = await startTestServer('pglite', undefined, { clock });
  s = await startBrowserSession({ clock, population: 20 });
  other = createTestWorkstation({ clock, population: 5 });
  for (const ws of [s.ws, other]) seedDinara(ws.app.db, clock());
  running.restart();
}, 120_000);
afterAll(async () => {
  await s?.close();
  other?.close();
  await server?.close();
});

async function api(app: TestWorkstation['app'], login: string) {
  const c = caller(app);
  await c.call('session.login', { login, password: TEST_PASSWORD });
  return c;
}

describe('one clinic, many desks', () => {
  it(
    'the administrator joins the clinic after seeing whose code it is, and sees the organization and its desks',
    { timeout: 90_000 },
    async () => {
      const bin = (await (await api(s.ws.app, 'admin')).call('org.get', {})).bin;
      const { page } = await s.newPage();
      await page.setViewportSize({ width: 1366, height: 768 });
      await logIn(page, 'admin');
      await page.goto(page.url().replace(/#.*$/, '#/sync'));
      await page.locator('[data-test="sync-enroll"]').waitFor();
      await page.locator('input[name="serverUrl"]').fill(server.url);
      const { code } = await createEnrollmentCode(server.db, { orgBin: bin, profile: PROFILE, now: clock() });
      await page.locator('input[name="code"]').fill(code);
      await page.keyboard.press('Enter');
      const preview = page.locator('[data-test="sync-preview"]');
      await preview.waitFor();
      expect(await preview.textContent()).toContain('№4 қалалық емхана');
      expect(await preview.textContent()).toContain(bin);
      expect(await preview.textContent()).toContain('Астана қаласы');
      await screenshot(page, 'clinic-enroll-preview');
      await page.locator('[data-test="sync-join"]').click();
      await expect.poll(() => page.locator('[data-test="sync-notice"]').textContent()).toMatch(/D\d+/);
      await screenshot(page, 'clinic-enrolled');

      // The other desk joins too (through the API); after a sync this desk lists both.
      const otherAdmin = await api(other.app, 'admin');
      await otherAdmin.call('sync.enroll', {
        serverUrl: server.url,
        code: (await createEnrollmentCode(server.db, { orgBin: bin, now: clock() })).code,
      });
      await (await api(s.ws.app, 'admin')).call('sync.now', {});
      await page.goto(page.url().replace(/#.*$/, '#/organization'));
      await expect.poll(() => page.locator('[data-test="org-workstations"] tbody tr').count()).toBe(2);
      // The form fills in when the profile arrives (its own call): wait for it, not for the list of desks.
      await expect.poll(() => page.locator('input[name="name.ru"]').inputValue()).toBe('Городская поликлиника №4');
      await screenshot(page, 'clinic-organization');
      await page.setViewportSize({ width: 1024, height: 768 });
      await screenshot(page, 'clinic-organization-1024');
    },
  );

  it(
    'a booking that lost its slot to another desk: the registrar sees whom to call and moves it with F7, Enter',
    { timeout: 90_000 },
    async () => {
      const here = await api(s.ws.app, 'registrar');
      const there = await api(other.app, 'registrar');
      const doctorHere = findStaffByLogin(s.ws.app.db, 'therapist3')!;
      const doctorThere = findStaffByLogin(other.app.db, 'therapist3')!;
      const { slots } = await here.call('appointments.freeSlots', { doctorId: doctorHere.id, days: 1, limit: 40 });
      const slot = slots[slots.length - 1]!.start;
      await there.call('appointments.book', { iin: DINARA, doctorId: doctorThere.id, slotStart: slot, channel: 'desk' });
      const mine = await here.call('appointments.book', { iin: DINARA, doctorId: doctorHere.id, slotStart: slot, channel: 'phone' });
      await (await api(other.app, 'admin')).call('sync.now', {});
      await (await api(s.ws.app, 'admin')).call('sync.now', {});

      const { page } = await s.newPage();
      await page.setViewportSize({ width: 1366, height: 768 });
      await logIn(page, 'registrar');
      await page.keyboard.press('F4');
      const banner = page.locator('[data-test="lost-bookings"]');
      await banner.waitFor();
      expect(await banner.textContent()).toContain('Қасымова Динара');
      expect(await banner.textContent()).toContain('+7 701 555 12 12');
      await screenshot(page, 'clinic-lost-booking');
      await page.keyboard.press('F7');
      await page.locator('[data-test="lost-moving"]').waitFor();
      await page.locator('[data-slot-index="0"]').waitFor();
      // The slot the other desk won is not offered.
      expect(await page.locator(`[data-slot="${mine.date} ${mine.time}"]`).count()).toBe(0);
      await screenshot(page, 'clinic-lost-moving');
      await page.locator('[data-test="slots"]').focus();
      await page.keyboard.press('Enter');
      await page.locator('[data-test="ap-booked"]').waitFor();
      await expect.poll(() => banner.count()).toBe(0);
      const after = await here.call('appointments.ofPerson', { iin: DINARA });
      expect(after.find((a) => a.id === mine.id)).toBeUndefined(); // moved: the old one is closed
      expect(after.some((a) => a.slotStart !== slot && a.doctor.id === doctorHere.id)).toBe(true);
    },
  );
});
