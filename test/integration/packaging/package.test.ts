/**
 * The desktop package as electron-builder makes it (issue 17), here where Electron itself cannot be downloaded:
 * `npm run package --dir` with a stand-in Electron distribution (electronDist: a folder with a fake `electron`
 * executable) and without the rebuild. The afterPack hook must refuse the output, since it holds Node's build of
 * better-sqlite3; the unpacked folder it refused is then inspected: the code in the asar, the native modules
 * unpacked beside it, nothing of the central server or the build tools, the size within the target.
 * Runs in a copy of the project (hard links to node_modules), so the checkout's out/ and node_modules stay as
 * they are.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// electron-builder's own asar reader (a dependency of electron-builder, not of the project).
const asar = require('@electron/asar') as {
  listPackage(archive: string, options: object): string[];
  extractFile(archive: string, file: string): Buffer;
  extractAll(archive: string, dest: string): void;
};
const root = path.resolve(import.meta.dirname, '..', '..', '..');

/** The unpacked desktop application (resources/: app.asar and app.asar.unpacked) may weigh this much. */
const TARGET_BYTES = 90 * 1024 * 1024;
/** Packages a desk never runs: the central server, build and test tools, type-only and unused packages. */
const EXCLUDED = [
  'fastify',
  'pg',
  '@electric-sql',
  'pino',
  'tsx',
  'esbuild',
  '@esbuild',
  '@types',
  'typescript',
  'vite',
  'vitest',
  'vue',
  'electron',
  'electron-builder',
  'pkijs',
  'asn1js',
  '@peculiar',
  'prettier',
  'playwright-core',
];
/** What the workstation's main process requires at run time (dist/electron/main.js), with what they need. */
const REQUIRED = [
  'better-sqlite3',
  'bindings',
  'pkcs11js',
  'exceljs',
  'archiver',
  'pdfkit',
  'qrcode',
  'papaparse',
  'zod',
  'dejavu-fonts-ttf',
];

let stage: string;
let extracted: string | undefined;
let result: { status: number | null; output: string };
let appDir: string;
let entries: string[];

function sizeOf(p: string): number {
  const st = fs.lstatSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((sum, name) => sum + sizeOf(path.join(p, name)), 0);
}

function allFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

function topPackages(list: string[]): Set<string> {
  const names = new Set<string>();
  for (const p of list) {
    const m = /^\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p.split(path.sep).join('/'));
    if (m?.[1]) names.add(m[1]);
  }
  return names;
}

beforeAll(() => {
  stage = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-package-'));
  // Built into the copy: the browser tests share the checkout's dist/renderer.
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), 'all', '--out', path.join(stage, 'dist')], {
    cwd: root,
    stdio: 'pipe',
  });
  for (const f of ['package.json', 'package-lock.json', 'electron-builder.yml']) fs.copyFileSync(path.join(root, f), path.join(stage, f));
  for (const d of ['scripts', 'resources']) fs.cpSync(path.join(root, d), path.join(stage, d), { recursive: true });
  // npm's dependency listing, which electron-builder reads, does not follow a node_modules that is a symbolic link
  // (a worktree's): hard links give the copy a real folder at no cost.
  const modules = fs.realpathSync(path.join(root, 'node_modules'));
  try {
    execFileSync('cp', ['-al', modules, path.join(stage, 'node_modules')], { stdio: 'pipe' });
  } catch {
    // Another file system: a real copy (slower).
    fs.rmSync(path.join(stage, 'node_modules'), { recursive: true, force: true });
    execFileSync('cp', ['-a', modules, path.join(stage, 'node_modules')]);
  }
  const electron = path.join(stage, 'stand-in-electron');
  fs.mkdirSync(path.join(electron, 'resources'), { recursive: true });
  fs.writeFileSync(path.join(electron, 'electron'), '#!/bin/sh\necho "stand-in Electron"\n', { mode: 0o755 });
  const run = spawnSync(
    process.execPath,
    ['scripts/package.mjs', '--dir', '--linux', '--no-build', '--skip-rebuild', '--stand-in-electron', electron, '--output', 'out'],
    { cwd: stage, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
  );
  result = { status: run.status, output: `${run.stdout}\n${run.stderr}` };
  appDir = path.join(stage, 'out', 'linux-unpacked');
  entries = asar.listPackage(path.join(appDir, 'resources', 'app.asar'), { isPack: false });
}, 180_000);

afterAll(() => {
  if (stage) fs.rmSync(stage, { recursive: true, force: true });
  if (extracted) fs.rmSync(extracted, { recursive: true, force: true });
});

describe('the desktop package (electron-builder --dir, stand-in Electron)', () => {
  it("refuses today's Node-ABI better-sqlite3, naming the file, its ABI, Electron's and the fix", () => {
    expect(result.status, result.output).toBe(1);
    expect(result.output).toContain('better-sqlite3/build/Release/better_sqlite3.node');
    expect(result.output).toContain(`module ABI ${process.versions.modules}`);
    expect(result.output).toMatch(/Electron 39\.\d+\.\d+ needs ABI 140/);
    expect(result.output).toContain('rebuild the native modules for Electron');
    // pkcs11js is an N-API addon: ABI-stable, so it is not named.
    expect(result.output).not.toContain('pkcs11.node');
  });

  it('holds the built code in the asar, where electron/main.ts loads the preload and the renderer', () => {
    const files = new Set(entries.map((e) => e.split(path.sep).join('/')));
    for (const f of [
      '/package.json',
      '/dist/electron/main.js',
      '/dist/electron/preload.cjs',
      // The worker threads' scripts, which the main process looks for beside itself.
      '/dist/electron/population-import-worker.js',
      '/dist/electron/maintenance-worker.js',
      '/dist/renderer/index.html',
      '/resources/regulations/index.json',
      '/resources/calendars/kz.json',
    ])
      expect(files, f).toContain(f);
    const pkg = JSON.parse(asar.extractFile(path.join(appDir, 'resources', 'app.asar'), 'package.json').toString()) as { main: string };
    expect(pkg.main).toBe('dist/electron/main.js');
    expect([...files].some((f) => f.startsWith('/dist/') && f.endsWith('.map'))).toBe(false);
    expect([...files].some((f) => /^\/(server|electron|db|common|test|bench|renderer|scripts)\//.test(f))).toBe(false);
  });

  it('carries every runtime package and none of the excluded ones', () => {
    const packed = topPackages(entries);
    for (const name of REQUIRED) expect(packed, name).toContain(name);
    for (const name of EXCLUDED)
      expect(
        [...packed].filter((p) => p === name || p.startsWith(`${name}/`)),
        name,
      ).toEqual([]);
  });

  it('unpacks the .node files and drops native sources, object files and unused fonts', () => {
    const unpacked = allFiles(path.join(appDir, 'resources', 'app.asar.unpacked')).map((f) => f.split(path.sep).join('/'));
    expect(entries.some((e) => e.endsWith('.node'))).toBe(true); // listed in the asar, stored beside it
    expect(
      unpacked
        .filter((f) => f.endsWith('.node'))
        .map((f) => path.basename(f))
        .sort(),
    ).toEqual(['better_sqlite3.node', 'pkcs11.node']);
    const everything = [...entries.map((e) => e.split(path.sep).join('/')), ...unpacked];
    expect(everything.filter((f) => /\.(c|cc|cpp|h|o|gyp|gypi|mk)$|\/obj\.target\/|\/deps\/sqlite3/.test(f))).toEqual([]);
    const fonts = everything.filter((f) => f.endsWith('.ttf')).map((f) => path.basename(f));
    expect([...new Set(fonts)].sort()).toEqual(['DejaVuSans-Bold.ttf', 'DejaVuSans.ttf']);
  });

  it('loads every runtime package from where the packed main process requires it', () => {
    // The asar and its unpacked files, laid out as Electron reads them; Node loads them here, since today's
    // native modules are Node's own build: what is missing from the package (a dependency of a dependency)
    // fails to load.
    // Outside the project copy, whose node_modules would otherwise answer for a package missing from the asar.
    extracted = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-package-app-'));
    const app = extracted;
    asar.extractAll(path.join(appDir, 'resources', 'app.asar'), app);
    const probe = `
      const { createRequire } = require('node:module');
      const req = createRequire(${JSON.stringify(path.join(app, 'dist', 'electron', 'main.js'))});
      const pkg = req('../../package.json');
      for (const name of Object.keys(pkg.dependencies)) {
        if (name === 'dejavu-fonts-ttf') req.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
        else req(name);
      }
      const Database = req('better-sqlite3');
      const db = new Database(':memory:');
      console.log('loaded', Object.keys(pkg.dependencies).length, db.prepare('select 1 as one').get().one);
    `;
    const out = execFileSync(process.execPath, ['-e', probe], { cwd: app, encoding: 'utf8' });
    expect(out.trim()).toBe('loaded 8 1');
  });

  it('runs the packed maintenance worker: a copy of a database made on its thread, as the daily backup makes it', () => {
    const app = extracted;
    if (!app) throw new Error('the asar was not extracted (the test before this one failed)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-package-backup-'));
    try {
      const probe = `
        const { createRequire } = require('node:module');
        const { Worker } = require('node:worker_threads');
        const req = createRequire(${JSON.stringify(path.join(app, 'dist', 'electron', 'main.js'))});
        const Database = req('better-sqlite3');
        const source = ${JSON.stringify(path.join(dir, 'live.sqlite'))};
        const db = new Database(source);
        db.pragma('journal_mode = WAL');
        db.exec("CREATE TABLE person (iin TEXT PRIMARY KEY); INSERT INTO person VALUES ('900101300123'), ('900101400456')");
        const worker = new Worker(${JSON.stringify(path.join(app, 'dist', 'electron', 'maintenance-worker.js'))}, {
          workerData: { maintenanceJob: { kind: 'copy', source, target: ${JSON.stringify(path.join(dir, 'copy.bak'))} } },
        });
        worker.once('message', (answer) => {
          console.log(JSON.stringify(answer));
          worker.terminate();
        });
      `;
      const out = execFileSync(process.execPath, ['-e', probe], { cwd: app, encoding: 'utf8' });
      expect(JSON.parse(out.trim())).toEqual({ ok: true });
      const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
      const copy = new Database(path.join(dir, 'copy.bak'), { readonly: true });
      expect(copy.prepare('SELECT count(*) AS n FROM person').get()).toEqual({ n: 2 });
      copy.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it(`weighs at most ${TARGET_BYTES / 1024 / 1024} MB unpacked (Electron itself aside)`, () => {
    const bytes = sizeOf(path.join(appDir, 'resources'));
    console.log(`unpacked application: ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    expect(bytes).toBeLessThanOrEqual(TARGET_BYTES);
  });
});
