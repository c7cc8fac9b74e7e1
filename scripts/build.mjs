// Builds what the application runs: the renderer (vite) and, for Electron, the main process and the preload
// (esbuild). Native modules stay external: electron-builder rebuilds them for Electron when packaging.
// vite and esbuild are imported when a build runs: `npm start` imports this file for rendererIsStale alone, and
// loading vite was a fifth of its start-up (issue 18, goal 5).
import { buildCli } from './build-cli.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newest(dir) {
  let t = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

export function rendererIsStale() {
  const built = path.join(root, 'dist', 'renderer', 'index.html');
  if (!fs.existsSync(built)) return true;
  const sources = Math.max(
    newest(path.join(root, 'renderer')),
    newest(path.join(root, 'common')),
    fs.statSync(path.join(root, 'vite.config.ts')).mtimeMs,
  );
  return sources > fs.statSync(built).mtimeMs;
}

// `distDir`: where the build goes (default dist/); the packaging test builds into its own copy of the project.
export async function buildRenderer({ quiet = false, distDir = path.join(root, 'dist') } = {}) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: quiet ? 'warn' : 'info',
    build: { outDir: path.join(distDir, 'renderer') },
  });
}

export async function buildElectron({ distDir = path.join(root, 'dist') } = {}) {
  const { build: esbuild } = await import('esbuild');
  const { register } = await import('tsx/esm/api');
  const unregister = register();
  const { API_METHODS } = await import('../common/api/index.ts');
  await unregister();
  const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };
  await esbuild({
    ...common,
    entryPoints: [path.join(root, 'electron', 'main.ts')],
    outfile: path.join(distDir, 'electron', 'main.js'),
    format: 'esm',
    packages: 'external',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  // Worker threads' scripts, each a bundle of its own beside the main one, where electron/services/worker-thread.ts
  // looks for them: the register import's readers (population/parse-worker.ts) and the backups' copy and check and
  // the audit chain's walk (admin/maintenance-worker.ts).
  const workers = {
    'population-import-worker.js': ['population', 'parse-worker.ts'],
    'maintenance-worker.js': ['admin', 'maintenance-worker.ts'],
  };
  for (const [bundle, source] of Object.entries(workers))
    await esbuild({
      ...common,
      entryPoints: [path.join(root, 'electron', 'services', ...source)],
      outfile: path.join(distDir, 'electron', bundle),
      format: 'esm',
      packages: 'external',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
  await esbuild({
    ...common,
    entryPoints: [path.join(root, 'electron', 'preload.ts')],
    outfile: path.join(distDir, 'electron', 'preload.cjs'),
    format: 'cjs',
    external: ['electron'],
    define: { __API_METHODS__: JSON.stringify(API_METHODS) },
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // node scripts/build.mjs [renderer|electron|cli|all] [--out DIR]
  const args = process.argv.slice(2);
  const out = args.indexOf('--out');
  const distDir = out >= 0 && args[out + 1] ? path.resolve(args[out + 1]) : undefined;
  const what = args.find((a, i) => !a.startsWith('--') && (out < 0 || i !== out + 1)) ?? 'all';
  if (what === 'renderer' || what === 'all') await buildRenderer({ distDir });
  if (what === 'electron' || what === 'all') await buildElectron({ distDir });
  // The command line is not packaged (the desktop application has no `tirkeu`): built into the checkout only.
  if (what === 'cli' || (what === 'all' && !distDir)) await buildCli();
}
