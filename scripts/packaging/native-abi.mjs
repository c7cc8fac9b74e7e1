// The module ABI of native addons (.node files) against the Electron that will load them (issue 17). A Node.js
// addon registers itself through `node_register_module_v<ABI>`; Electron refuses one whose ABI is not its own
// (Electron 39 → 140, Node 20 → 115), so a package holding Node's build of better-sqlite3 cannot open its
// database. N-API addons (`napi_register_module_v1`) are ABI-stable and load in any Electron.
// Usage: node scripts/packaging/native-abi.mjs <folder> [electron version]  — exit 1 on a mismatch.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Used when the node-abi package is absent; its table is authoritative when present.
const ELECTRON_ABI_FALLBACK = { 37: 136, 38: 139, 39: 140, 40: 143 };

/** The Electron version the package is built for: the installed electron package, as electron-builder reads it. */
export function electronVersion(projectRoot = root) {
  const installed = path.join(projectRoot, 'node_modules', 'electron', 'package.json');
  if (fs.existsSync(installed)) return JSON.parse(fs.readFileSync(installed, 'utf8')).version;
  const range = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).devDependencies?.electron;
  const version = String(range ?? '').replace(/^[^\d]*/, '');
  if (!version) throw new Error('package.json: devDependencies.electron is missing; the Electron version is unknown');
  return version;
}

/** The module ABI (NODE_MODULE_VERSION) of an Electron version. */
export function electronAbi(version) {
  try {
    return Number(require('node-abi').getAbi(version, 'electron'));
  } catch {
    const major = Number(version.split('.')[0]);
    const abi = ELECTRON_ABI_FALLBACK[major];
    if (!abi) throw new Error(`Electron ${version}: its module ABI is unknown (install node-abi or extend the table)`);
    return abi;
  }
}

/** 'napi' for an N-API addon, the ABI number for a Node-ABI one, null when the file names neither. */
export function addonAbi(file) {
  const text = fs.readFileSync(file).toString('latin1');
  const node = /node_register_module_v(\d+)/.exec(text);
  if (node) return Number(node[1]);
  if (text.includes('napi_register_module_v')) return 'napi';
  return null;
}

/** Every .node file under a folder (symbolic links not followed). */
export function findAddons(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findAddons(p));
    else if (entry.isFile() && entry.name.endsWith('.node')) found.push(p);
  }
  return found.sort();
}

/** Checks every addon under `dir` against Electron `version`: { expected, addons: [{file, abi, ok}] }. */
export function verifyAddons(dir, version) {
  const expected = electronAbi(version);
  const addons = findAddons(dir).map((file) => {
    const abi = addonAbi(file);
    return { file, abi, ok: abi === 'napi' || abi === expected };
  });
  return { version, expected, addons };
}

/** The refusal, one paragraph per wrong file: which file, its ABI, the expected one, and how to fix it. */
export function describeMismatches(result, base = process.cwd()) {
  const bad = result.addons.filter((a) => !a.ok);
  if (bad.length === 0) return null;
  const lines = bad.map(
    (a) =>
      `  ${path.relative(base, a.file)}: module ABI ${a.abi ?? 'unknown (no node_register_module symbol)'}, ` +
      `Electron ${result.version} needs ABI ${result.expected}`,
  );
  return [
    `Native modules built for the wrong runtime (${bad.length} of ${result.addons.length}):`,
    ...lines,
    `Such a package would fail to load them on the first start (the database could not be opened).`,
    `Fix: rebuild the native modules for Electron ${result.version} — \`npm run package\` does it with @electron/rebuild,`,
    `which needs Electron's headers (downloaded once from Electron's site into ~/.electron-gyp); or run`,
    `\`npx electron-rebuild -v ${result.version}\` on a machine with internet, then package again.`,
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node scripts/packaging/native-abi.mjs <folder> [electron version]\n');
    process.exit(2);
  }
  const result = verifyAddons(path.resolve(dir), process.argv[3] ?? electronVersion());
  for (const a of result.addons) process.stdout.write(`${a.ok ? 'ok  ' : 'FAIL'} ${a.file} (ABI ${a.abi})\n`);
  const refusal = describeMismatches(result);
  if (refusal) {
    process.stderr.write(refusal + '\n');
    process.exit(1);
  }
  process.stdout.write(`${result.addons.length} native module(s) match Electron ${result.version} (ABI ${result.expected}).\n`);
}
