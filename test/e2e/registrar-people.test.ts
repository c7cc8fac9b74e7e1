import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../common/iin';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { DINARA, seedDinara } from '../helpers/e2e-people';

let s: BrowserSession;

beforeAll(async () => {
  s = await startBrowserSession();
  seedDinara(s.ws.app.db, s.ws.app.clock());
});
afterAll(async () => s?.close());

describe('a registrar at the front desk', () => {
  it('logs in, finds people by IIN and by a Kazakh name prefix, sees the not-found message, enters a person by hand and switches language', async () => {
    const { page } = await s.newPage();

    // The login screen is in Kazakh by default; a wrong password says so and how many tries remain.
    await page.locator('input[name="login"]').fill('registrar');
    await page.locator('input[name="password"]').fill('wrong-password-1');
    await page.locator('input[name="password"]').press('Enter');
    await expect.poll(() => page.locator('[data-test="login-error"]').textContent()).toContain('Логин немесе құпиясөз қате');
    await screenshot(page, 'e2e-login-error');
    await logIn(page, 'registrar');
    expect(await page.locator('[data-test="greeting"]').textContent()).toContain('Қайырлы күн');

    // F2 goes to the person search from anywhere; the field has focus.
    await page.keyboard.press('F2');
    const query = page.locator('[data-test="person-query"]');
    await query.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('person-query');

    // By IIN.
    await page.keyboard.type(DINARA);
    const card = page.locator('[data-test="person-card"]');
    await expect.poll(() => card.getAttribute('data-iin')).toBe(DINARA);
    expect(await card.textContent()).toContain('Қасымова Динара Маратқызы');
    await screenshot(page, 'e2e-person-by-iin');

    // An IIN with a wrong check digit is explained, not searched.
    await query.fill(DINARA.slice(0, 11) + String((Number(DINARA[11]) + 1) % 10));
    await expect.poll(() => page.locator('[data-test="iin-error"]').textContent()).toContain('бақылау саны');

    // By a Kazakh name prefix, typed in lower case on a Russian layout ("к" for "қ"); keyboard selection.
    await query.fill('');
    await query.focus();
    await page.keyboard.type('кас дин');
    const results = page.locator('[data-test="results"] li');
    await expect.poll(() => results.count()).toBeGreaterThan(0);
    const names = await results.locator('.name').allTextContents();
    expect(names.every((n) => /^Қас/.test(n) && / Дин/.test(n))).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => card.textContent()).toContain('Қасымова Динара');
    await screenshot(page, 'e2e-person-by-name');

    // A valid IIN that is not in the register: the regulation's message, then entry by hand.
    const missing = makeIin('2001-05-05', 'M', 77);
    await query.fill(missing);
    const notFound = page.locator('[data-test="not-found"]');
    await expect.poll(() => notFound.textContent()).toContain('ЖТ МДБ-да тұтынушының мәліметтері жоқ');
    expect(await card.count()).toBe(0); // no stale card of the person found before
    await screenshot(page, 'e2e-not-found');
    await page.locator('[data-test="enter-manually"]').click();
    const form = page.locator('[data-test="manual-form"]');
    expect(await form.locator('input[name="iin"]').inputValue()).toBe(missing);
    await form.locator('input[name="surname"]').fill('Әбдірахманов');
    await form.locator('input[name="givenName"]').fill('Әлихан');
    await form.locator('input[name="phone"]').fill('+7 705 123 45 67');
    await screenshot(page, 'e2e-manual-form');
    await form.locator('input[name="phone"]').press('Enter');
    await expect.poll(() => card.getAttribute('data-iin')).toBe(missing);
    expect(await page.locator('[data-test="person-source"]').textContent()).toContain('ЖТ МДБ-дан емес');

    // Switch to Russian: the screen changes at once, and the choice is remembered for this user.
    await page.locator('.topbar [data-lang="ru"]').click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Поиск человека');
    await query.fill(makeIin('2002-06-06', 'F', 81));
    await expect.poll(() => notFound.textContent()).toContain('Сведения о потребителе в ГБД ФЛ отсутствуют');
    await page.locator('[data-test="logout"]').click();
    await page.locator('input[name="login"]').waitFor();
    expect(await page.locator('h2').textContent()).toBe('Вход в систему');
    await logIn(page, 'registrar');
    expect(await page.locator('[data-test="greeting"]').textContent()).toContain('Добрый день');
    await screenshot(page, 'e2e-russian-home');
  });

  it('measures keystroke-to-rendered results of the as-you-type search', async () => {
    const { page } = await s.newPage();
    await logIn(page, 'registrar');
    await page.keyboard.press('F2');
    const query = page.locator('[data-test="person-query"]');
    await query.waitFor();
    const samples: number[] = [];
    for (const text of ['Қ', 'Қа', 'Қас', 'Н', 'Нұ', 'Нұр', 'С', 'Се', 'Сер']) {
      await query.fill('');
      const ms = await page.evaluate(async (t) => {
        const input = document.getElementById('person-query') as HTMLInputElement;
        const start = performance.now();
        input.value = t;
        input.dispatchEvent(new Event('input'));
        await new Promise<void>((resolve) => {
          const check = () => (document.querySelector('[data-test="results"] li') ? resolve() : requestAnimationFrame(check));
          check();
        });
        return performance.now() - start;
      }, text);
      samples.push(ms);
    }
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)]!;
    console.log(`as-you-type keystroke → rendered results: median ${median.toFixed(1)} ms over ${samples.length} keystrokes`);
    expect(median).toBeGreaterThan(0);
  });
});

describe('the web host', () => {
  it('refuses a browser without the one-time link, and the link works only once', async () => {
    const context = await s.browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(s.host.url + '/');
    expect(res?.status()).toBe(403);
    const link = s.host.issueLink();
    expect((await page.goto(link))?.status()).toBe(200);
    const other = await (await s.browser.newContext()).newPage();
    expect((await other.goto(link))?.status()).toBe(403);
    await context.close();
  });
});
