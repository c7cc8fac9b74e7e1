/**
 * Every text in the user's language (issue 16, point 2), in the real renderer: each role of the test clinic logs
 * in, and every screen its side navigation offers (renderer/src/navigation.ts, so a new screen is walked without
 * touching this test) is opened in Kazakh and in Russian. A word in Latin letters on any of them — a key that was
 * never translated, an English sentence from the main process, a login where a person's name belongs — fails the
 * test, naming the role, the language, the screen and the words. One browser, one page, reused throughout.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../common/roles';
import { NAV, allowed } from '../../renderer/src/navigation';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { DINARA, seedDinara } from '../helpers/e2e-people';

/** The roles of the test clinic (electron/services/demo-data.ts); the counsellor also sees the HIV screens. */
const ACCOUNTS: { login: string; role: Role; specialty: string | null }[] = [
  { login: 'admin', role: 'administrator', specialty: null },
  { login: 'registrar', role: 'registrar', specialty: null },
  { login: 'operator', role: 'operator', specialty: null },
  { login: 'cashier', role: 'cashier', specialty: null },
  { login: 'therapist', role: 'physician', specialty: 'therapist' },
  { login: 'counsellor', role: 'physician', specialty: 'counselling' },
  { login: 'nurse', role: 'nurse', specialty: null },
];

/**
 * Latin words a Kazakh or Russian screen may show: names of file formats and encodings the user picks by that name,
 * keys as printed on the keyboard, the UTC offset of a time zone, the names of signing tokens as sold, and PIN (the
 * word Kazakh and Russian use: PIN-код). Nothing else.
 */
const ALLOWED = new Set([
  'CSV',
  'XLSX',
  'JSON',
  'PDF',
  'UTF',
  'Windows',
  'PKCS',
  'UTC',
  'Enter',
  'Esc',
  'Kaztoken',
  'eToken',
  'JaCarta',
  'PEM',
  'DER',
  'PIN',
]);

/**
 * The visible text of the screen and the texts a user reads without seeing them in the flow (placeholders, titles,
 * labels for screen readers, options). Left out: the language switch (each language named in itself), keyboard keys
 * (`kbd`) and what the markup declares not to be language (`translate="no"`: a login, a file or folder name, a
 * file's column names).
 */
async function screenTexts(page: Page): Promise<string> {
  return page.evaluate(() => {
    const skip = '.lang-switch, kbd, [translate="no"]';
    const hidden: { el: HTMLElement; display: string }[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(skip)) {
      hidden.push({ el, display: el.style.display });
      el.style.display = 'none';
    }
    const attrs: string[] = [];
    for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], option')) {
      if (el.closest(skip)) continue;
      for (const a of ['placeholder', 'title', 'aria-label']) {
        const v = el.getAttribute(a);
        if (v) attrs.push(v);
      }
      if (el.tagName === 'OPTION') attrs.push(el.textContent ?? '');
    }
    const text = document.body.innerText;
    for (const h of hidden) h.el.style.display = h.display;
    return [text, ...attrs].join('\n');
  });
}

/**
 * Latin-script words of a text, less the allowed ones. Codes with digits (a workstation's A4, a key's F2, UTF-8) and
 * key combinations (Alt+N, Ctrl+Enter) are not words.
 */
export function latinWords(text: string): string[] {
  const words = text.replace(/\b(?:Alt|Ctrl|Shift)\+\S+/g, ' ').match(/[A-Za-z0-9]*[A-Za-z][A-Za-z0-9'’_.-]*/g) ?? [];
  return [...new Set(words.map((w) => w.replace(/[.'’_-]+$/, '')).filter((w) => !/\d/.test(w) && !ALLOWED.has(w)))];
}

/** Waits until the screen stops changing (its data loaded), at most a few seconds. */
async function settled(page: Page): Promise<void> {
  let last = '';
  for (let i = 0; i < 30; i++) {
    await page.waitForTimeout(150);
    const now = await page.evaluate(() => document.body.innerText);
    if (now === last && !/…$/m.test(now)) return;
    last = now;
  }
}

let s: BrowserSession;
beforeAll(async () => {
  s = await startBrowserSession({ population: 20 });
  await seedWork(s);
}, 120_000);

/**
 * Some work on the desk before the walk, so the lists show rows and not only their empty state: Dinara's
 * appointment and home visit (the registrar's journals, the doctor's day), and an open cash shift.
 */
async function seedWork(session: BrowserSession): Promise<void> {
  const db = session.ws.app.db;
  seedDinara(db, session.ws.app.clock());
  const reg = await session.ws.as('registrar');
  const slot = (await reg.call('appointments.freeSlots', { specialty: 'therapist', limit: 1 })).slots[0]!;
  await reg.call('appointments.book', { iin: DINARA, doctorId: slot.doctorId, slotStart: slot.start, channel: 'desk' });
  const r = await reg.call('districts.resolve', { iin: DINARA });
  await reg.call('homeVisits.register', {
    iin: DINARA,
    channel: 'phone',
    address: 'Астана қ., Тұран д-лы, 12-үй, 4-пәтер',
    complaint: 'Температура 38',
    caller: 'self',
    doctorId: r.doctor!.id,
    visitDate: r.window!.date,
    windowFrom: r.window!.from,
    windowTo: r.window!.to,
  });
  await (await session.ws.as('cashier')).call('cash.openShift', {});
}
afterAll(async () => s?.close());

describe('every screen in the user’s language', () => {
  it('shows no Latin-script word on any screen of any role in Kazakh or in Russian', { timeout: 600_000 }, async () => {
    const { page } = await s.newPage();
    const base = page.url().replace(/#.*$/, '');
    const found: string[] = [];
    let walked = 0;
    for (const account of ACCOUNTS) {
      await page.goto(`${base}#/login`);
      await logIn(page, account.login);
      const screens = NAV.filter((n) => allowed(n, account.role, account.specialty) && !n.path.includes(':'));
      expect(screens.length, account.login).toBeGreaterThan(1);
      for (const lang of ['kk', 'ru'] as const) {
        await page.locator(`[data-lang="${lang}"]`).first().click();
        await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
        for (const screen of screens) {
          await page.goto(`${base}#${screen.path}`);
          await settled(page);
          walked++;
          const words = latinWords(await screenTexts(page));
          if (words.length) {
            found.push(`${account.login} ${lang} ${screen.path}: ${words.join(', ')}`);
            await screenshot(page, `latin-${account.login}-${lang}-${screen.name}`);
          }
        }
      }
      await page.locator('[data-test="logout"]').click();
      await page.locator('input[name="login"]').waitFor();
    }
    expect(walked).toBeGreaterThan(40);
    expect(found).toEqual([]);
  });
});
