/** The browser half of the people benchmark. The code run in the page is a string: it is not type-checked here, and tsx cannot add helpers to it. */
import fs from 'node:fs';
import type { openDatabase } from '../db/connection';
import { GIVEN, PREFIXES } from './people.bench';
import { figure, median, type BenchContext, type BenchFigure } from './types';
import { systemClock } from '../common/clock';

/**
 * As-you-type in the real renderer: the web host on this 2,000,000-person database, Chromium typing a name,
 * time from the input event to the results list rendered.
 */
export async function browserSearch(ctx: BenchContext, db: ReturnType<typeof openDatabase>['db']): Promise<BenchFigure | null> {
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromiumPath)) {
    ctx.log('no Chromium: the browser figure is not measured');
    return null;
  }
  const { chromium } = await import('playwright-core');
  // @ts-expect-error the build script is plain JavaScript
  const { buildRenderer, rendererIsStale } = await import('../scripts/build.mjs');
  if (rendererIsStale()) await buildRenderer({ quiet: true });
  const { seedDemoData } = await import('../electron/services/demo-data');
  const { startWebHost } = await import('../electron/webhost');
  const { RENDERER_DIR } = await import('../electron/services/paths');
  const { silentLogger } = await import('../electron/services/log');
  const { keyFileBox } = await import('../electron/services/secrets');
  const app = { db, clock: systemClock, log: silentLogger, dataDir: ctx.dir, secrets: keyFileBox(ctx.dir) };
  seedDemoData(app, { population: 0, passwords: { registrar: 'bench-pass-1' } });
  const host = await startWebHost({ app, staticDir: RENDERER_DIR });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(host.issueLink());
    await page.locator('input[name="login"]').fill('registrar');
    await page.locator('input[name="password"]').fill('bench-pass-1');
    await page.locator('input[name="password"]').press('Enter');
    await page.locator('[data-test="user"]').waitFor();
    await page.keyboard.press('F2');
    await page.locator('[data-test="person-query"]').waitFor();
    const samples: number[] = [];
    for (let i = 0; i < 40; i++) {
      const q = PREFIXES[i % PREFIXES.length]! + (i % 3 === 0 ? ' ' + GIVEN[i % GIVEN.length]! : '');
      await page.locator('[data-test="person-query"]').fill('');
      await page.waitForFunction(`!document.querySelector('[data-test="results"] li, [data-test="not-found"]')`);
      // A string, not a function: tsx would wrap a function's inner helpers in names the page does not have.
      const measure = `(async () => {
        const input = document.getElementById('person-query');
        const start = performance.now();
        input.value = ${JSON.stringify(q)};
        input.dispatchEvent(new Event('input'));
        // Rendered means: the results list, or the not-found message for a name nobody has.
        while (!document.querySelector('[data-test="results"] li, [data-test="not-found"]')) await new Promise((r) => requestAnimationFrame(r));
        return performance.now() - start;
      })()`;
      samples.push((await page.evaluate(measure)) as number);
    }
    return figure('people.browser_as_you_type.median_ms', median(samples), 'ms', 50, {
      note: 'keystroke to rendered results, Chromium, web host',
    });
  } finally {
    await browser.close();
    await host.close();
  }
}
