/**
 * Browser tests drive the real renderer in Debian's Chromium (playwright-core, /usr/bin/chromium) against the
 * web host with a real SQLite file. The renderer is built once per run (a lock keeps parallel files from
 * building it twice).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { RENDERER_DIR, PROJECT_ROOT } from '../../electron/services/paths';
import { startWebHost, type WebHost } from '../../electron/webhost';
import { createTestWorkstation, TEST_PASSWORD, type TestWorkstation } from './app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

let building: Promise<void> | null = null;

export async function ensureRendererBuilt(): Promise<void> {
  building ??= (async () => {
    // @ts-expect-error the build script is plain JavaScript
    const { buildRenderer, rendererIsStale } = await import('../../scripts/build.mjs');
    const lock = path.join(PROJECT_ROOT, 'dist', '.renderer-build.lock');
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    for (let i = 0; i < 600; i++) {
      try {
        fs.mkdirSync(lock);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100)); // another test file is building
      }
    }
    try {
      if (rendererIsStale()) await buildRenderer({ quiet: true });
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
    if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new Error('the renderer did not build');
  })();
  return building;
}

export interface BrowserSession {
  ws: TestWorkstation;
  host: WebHost;
  browser: Browser;
  /** A new browser profile that has opened the one-time link (so it holds the host cookie). */
  newPage(options?: { locale?: string }): Promise<{ page: Page; context: BrowserContext }>;
  close(): Promise<void>;
}

export async function startBrowserSession(options: { population?: number; clock?: () => Date } = {}): Promise<BrowserSession> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium`);
  await ensureRendererBuilt();
  const ws = createTestWorkstation({ population: options.population ?? 300, clock: options.clock });
  const host = await startWebHost({ app: ws.app, staticDir: RENDERER_DIR });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    ws,
    host,
    browser,
    async newPage(opts = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: opts.locale ?? 'kk-KZ' });
      const page = await context.newPage();
      await page.goto(host.issueLink());
      return { page, context };
    },
    async close() {
      await browser.close();
      await host.close();
      ws.close();
    },
  };
}

export async function logIn(page: Page, login: string, password = TEST_PASSWORD): Promise<void> {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('input[name="password"]').press('Enter');
  await page.locator('[data-test="user"]').waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
