// `npm run package` — the desktop installers, made so that they cannot hold the wrong native binaries (issue 17).
//   1. builds dist/ (renderer, main, preload);
//   2. fetches Electron's headers (node-gyp install) and rebuilds the native modules for the Electron version in
//      package.json (@electron/rebuild); where the headers cannot be fetched it says so and stops: a package with
//      Node's binaries would not open its database;
//   3. runs electron-builder, whose afterPack hook (scripts/packaging/after-pack.mjs) checks every .node file in
//      the output against that Electron's module ABI before any installer is made.
// Options: --dir (the unpacked folder only), --linux / --win (targets; default: this platform), --no-build,
// --skip-rebuild and --stand-in-electron DIR (a local Electron distribution, fuses off: for the packaging test,
// whose output the hook still checks), --output DIR.
// The rebuild leaves Electron's builds in node_modules: `npm rebuild better-sqlite3` returns Node's for the tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { electronVersion } from './packaging/native-abi.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NATIVE_MODULES = ['better-sqlite3', 'pkcs11js'];

const { values } = parseArgs({
  options: {
    dir: { type: 'boolean' },
    linux: { type: 'boolean' },
    win: { type: 'boolean' },
    'no-build': { type: 'boolean' },
    'skip-rebuild': { type: 'boolean' },
    'stand-in-electron': { type: 'string' },
    output: { type: 'string' },
  },
});

function stop(message) {
  process.stderr.write(`\n${message}\n`);
  process.exit(1);
}

function run(command, args, what) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  return r.status === 0 ? null : `${what} failed (exit ${r.status ?? r.signal})`;
}

const version = electronVersion(root);
const headersDir = path.join(os.homedir(), '.electron-gyp');

if (!values['no-build']) {
  const failed = run(process.execPath, [path.join(root, 'scripts', 'build.mjs')], 'The build');
  if (failed) stop(failed);
}

if (!values['skip-rebuild']) {
  process.stdout.write(`Fetching the headers of Electron ${version} into ${headersDir}…\n`);
  const nodeGyp = path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const headers = run(
    process.execPath,
    [nodeGyp, 'install', `--target=${version}`, '--dist-url=https://electronjs.org/headers', `--devdir=${headersDir}`],
    "Fetching Electron's headers",
  );
  if (headers)
    stop(
      `${headers}.\nElectron ${version}'s headers cannot be fetched on this machine, so the native modules ` +
        `(${NATIVE_MODULES.join(', ')}) cannot be built for Electron here, and no package was made: one holding ` +
        `Node's builds would fail to open its database on the first start.\nPackage on a machine that reaches ` +
        `Electron's download site (the release workflow does), or put the headers in ${headersDir}/${version}.`,
    );
  process.stdout.write(`Rebuilding ${NATIVE_MODULES.join(', ')} for Electron ${version}…\n`);
  const { rebuild } = await import('@electron/rebuild');
  try {
    await rebuild({
      buildPath: root,
      electronVersion: version,
      onlyModules: NATIVE_MODULES,
      force: true,
      headerURL: 'https://electronjs.org/headers',
    });
  } catch (e) {
    stop(`Rebuilding the native modules for Electron ${version} failed: ${e instanceof Error ? e.message : e}`);
  }
}

const { build, Platform, Arch } = await import('electron-builder');
const platforms = [];
if (values.linux) platforms.push(Platform.LINUX);
if (values.win) platforms.push(Platform.WINDOWS);
if (platforms.length === 0) platforms.push(Platform.current());
const overrides = { npmRebuild: false };
if (values.output) overrides.directories = { output: path.resolve(values.output) };
if (values['stand-in-electron']) {
  // A stand-in binary has no fuse wire to flip; the real one always gets the fuses of electron-builder.yml.
  overrides.electronDist = path.resolve(values['stand-in-electron']);
  overrides.electronFuses = null;
}
try {
  await build({
    projectDir: root,
    targets: new Map(platforms.flatMap((p) => [...p.createTarget(values.dir ? 'dir' : null, Arch.x64)])),
    config: overrides,
    publish: 'never',
  });
} catch (e) {
  stop(e instanceof Error ? e.message : String(e));
}
