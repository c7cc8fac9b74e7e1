/**
 * A phone call for a person missing from the population register (Astana: no manual entry, a motivated refusal):
 * the refusal panel offers the screen's own service and the call's channel, asks before recording (a refusal cannot
 * be undone), and prints the refusal. Cancelling the question records nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../common/iin';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { RunningClock, workingDayClock } from '../helpers/clock';

const running = new RunningClock(workingDayClock('10:00').now.getTime());
const clock = running.read;
// A valid IIN nobody in the test register has.
const STRANGER = makeIin('1987-04-02', 'F', 4321);

let s: BrowserSession;

beforeAll(async () => {
  s = await startBrowserSession({ clock, population: 50 });
  running.restart();
});
afterAll(async () => s?.close());

const refusals = () =>
  s.ws.app.db.prepare(`SELECT r.service_id, r.channel, r.status FROM service_request r WHERE r.person_iin = ?`).all(STRANGER) as {
    service_id: string;
    channel: string;
    status: string;
  }[];

describe('a motivated refusal at the desk', () => {
  it('takes the screen’s service and the phone channel, confirms, records and prints', async () => {
    const { page } = await s.newPage();
    await logIn(page, 'registrar');
    await page.keyboard.press('F3');
    await page.locator('[data-test="channel-phone"]').click();
    await page.locator('[data-test="desk-person"]').waitFor();
    await page.locator('[data-test="desk-person"]').fill(STRANGER);
    const panel = page.locator('[data-test="refusal-panel"]');
    await panel.waitFor();
    await expect.poll(() => panel.locator('select[name="service"]').inputValue()).toBe('home-visit');
    expect(await panel.locator('select[name="channel"]').inputValue()).toBe('phone');
    await screenshot(page, 'desk-refusal-panel');

    // Asked first; "Cancel" (where the focus starts) records nothing.
    await panel.locator('[data-test="refuse"]').click();
    const dialog = page.locator('[data-test="confirm-dialog"]');
    await dialog.waitFor();
    expect(await dialog.locator('[data-test="confirm-message"]').textContent()).toContain(STRANGER);
    await dialog.locator('[data-test="confirm-cancel"]').click();
    await dialog.waitFor({ state: 'detached' });
    expect(refusals()).toEqual([]);

    await panel.locator('[data-test="refuse"]').click();
    await dialog.locator('[data-test="confirm-ok"]').click();
    await page.locator('[data-test="pdf-preview"]').waitFor();
    expect(refusals()).toEqual([{ service_id: 'home-visit', channel: 'phone', status: 'refused' }]);
  });
});
