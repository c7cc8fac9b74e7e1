// The command line (`tirkeu`, bin/tirkeu.mjs) as compiled JavaScript, and whether that build is older than its
// sources. Kept apart from build.mjs so the launcher's freshness check loads no bundler.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the builds go, and the file naming the current one and the sources it was built from. */
export const CLI_DIR = path.join(root, 'dist', 'cli');
export const CLI_CURRENT = path.join(CLI_DIR, 'current.json');

/**
 * `tirkeu` as JavaScript, so a command starts without compiling TypeScript (tsx took 2.6–4 s). Split into chunks:
 * each command's modules, and the packages they import, load only when that command runs. Packages stay external
 * (node_modules is beside it; better-sqlite3 and pkcs11js are native). A module that finds files from its own
 * location (`import.meta.url`) keeps its source location, written relative to the chunk so the checkout can move.
 * Each build goes to a folder of its own and current.json is replaced in one rename: two commands building at once
 * never read half a build. Returns the entry file.
 */
export async function buildCli() {
  const id = `build-${Date.now().toString(36)}-${process.pid}`;
  const outdir = path.join(CLI_DIR, id);
  const ownLocation = {
    name: 'own-location',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        let contents = await fs.promises.readFile(args.path, 'utf8');
        if (contents.includes('import.meta.url')) {
          // Chunks sit directly in outdir, so a path relative to outdir is relative to the chunk's own URL.
          const rel = path.relative(outdir, args.path).split(path.sep).join('/');
          contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
        }
        return { contents, loader: 'ts' };
      });
    },
  };
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { cli: path.join(root, 'electron', 'cli.ts') },
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
    plugins: [ownLocation],
    chunkNames: 'chunk-[hash]',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => path.relative(root, path.resolve(root, p)));
  const tmp = `${CLI_CURRENT}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ build: id, builtAt: Date.now(), inputs }));
  fs.renameSync(tmp, CLI_CURRENT);
  // Older builds go, but the one before stays: a command started a moment ago may still load its chunks.
  const builds = fs.readdirSync(CLI_DIR).filter((n) => n.startsWith('build-') && n !== id);
  for (const old of builds.sort((x, y) => fs.statSync(path.join(CLI_DIR, y)).mtimeMs - fs.statSync(path.join(CLI_DIR, x)).mtimeMs).slice(1))
    fs.rmSync(path.join(CLI_DIR, old), { recursive: true, force: true });
  return path.join(outdir, 'cli.js');
}

/** The current build's entry file, or null when there is none or a source (or this script) changed since. */
export function freshCli() {
  try {
    const current = JSON.parse(fs.readFileSync(CLI_CURRENT, 'utf8'));
    const entry = path.join(CLI_DIR, current.build, 'cli.js');
    if (!fs.existsSync(entry)) return null;
    const stale = [...current.inputs, 'scripts/build-cli.mjs'].some((p) => {
      try {
        return fs.statSync(path.join(root, p)).mtimeMs > current.builtAt;
      } catch {
        return true; // a source gone: build again
      }
    });
    return stale ? null : entry;
  } catch {
    return null;
  }
}
