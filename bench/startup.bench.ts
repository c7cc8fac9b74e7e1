/**
 * Issue 18, goal 5: start-up. `startup.browser_login_ready_s`: from `npm start` (browser mode, a second start on
 * existing data) to the login screen ready for input in Chromium ≤ 2 s: the process starts, the database opens, the
 * web host prints its one-time link, the page loads and the login field can be typed into. The browser is launched
 * beforehand (a person's browser is already open). The Electron window's first paint needs Electron's binary and a
 * display, which this machine lacks: that figure is not measured here.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../electron/services/paths';
import { figure, median, type BenchContext, type BenchFigure } from './types';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Started {
  link: string;
  stop(): Promise<void>;
}

/** `npm start -- --web --data DIR`, resolved when it prints the one-time link. */
function npmStart(dataDir: string): Promise<Started> {
  return new Promise((resolve, reject) => {
    // Its own process group, so stopping it stops npm, its shell and the server together.
    const child = spawn('npm', ['start', '--silent', '--', '--web', '--data', dataDir], {
      cwd: PROJECT_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TIRKEU_DATA: dataDir },
    });
    let out = '';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const stop = async () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await exited;
    };
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /http:\/\/127\.0\.0\.1:\d+\/\S+/.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        resolve({ link: m[0], stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before printing a link:\n${out}`)));
  });
}

export default async function startup(ctx: BenchContext): Promise<BenchFigure[]> {
  if (!fs.existsSync(CHROMIUM)) {
    ctx.log('no Chromium: the start-up figure is not measured');
    return [];
  }
  const { chromium } = await import('playwright-core');
  const dataDir = path.join(ctx.dir, 'data');
  ctx.log('first start: creating the data folder');
  await (await npmStart(dataDir)).stop();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const runs = ctx.quick ? 2 : 5;
  const times: number[] = [];
  const linkTimes: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage();
      const t0 = performance.now();
      const started = await npmStart(dataDir);
      linkTimes.push((performance.now() - t0) / 1000);
      try {
        await page.goto(started.link);
        const login = page.locator('input[name="login"]');
        await login.waitFor({ state: 'visible' });
        // Ready for input: enabled and focusable (typing a character lands in it).
        await page.waitForFunction(`(() => { const i = document.querySelector('input[name="login"]'); return !!i && !i.disabled; })()`);
        times.push((performance.now() - t0) / 1000);
        await login.fill('registrar');
      } finally {
        await page.close();
        await started.stop();
      }
    }
  } finally {
    await browser.close();
  }
  return [
    figure('startup.browser_login_ready_s', median(times), 's', 2, {
      note: `npm start (second start) → login field ready in Chromium, median of ${runs}; the link printed after ${median(linkTimes).toFixed(2)} s`,
    }),
  ];
}
