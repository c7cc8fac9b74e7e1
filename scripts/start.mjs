// `npm start`: the Electron window where Electron's binary and a display exist; otherwise the same renderer
// and API on 127.0.0.1, saying why. Options pass through: --data DIR, --port N, --web (force the web host).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildElectron, buildRenderer, rendererIsStale } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const forceWeb = args.includes('--web');
const passThrough = args.filter((a) => a !== '--web');

function electronBinary() {
  try {
    // The electron package exports the binary's path, and throws when its download never happened.
    const bin = createRequire(import.meta.url)('electron');
    return typeof bin === 'string' ? bin : null;
  } catch {
    return null;
  }
}

function whyNotElectron() {
  if (forceWeb) return 'You asked for the web host (--web).';
  const bin = electronBinary();
  if (!bin)
    return "Electron's binary is not installed (it cannot be downloaded here; `npm run electron:fetch` fetches it where its host is reachable).";
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'There is no display (DISPLAY is not set).';
  return null;
}

if (rendererIsStale()) {
  process.stdout.write('Building the user interface…\n');
  await buildRenderer({ quiet: true });
}

const reason = whyNotElectron();
if (reason === null) {
  await buildElectron();
  const dataIdx = passThrough.indexOf('--data');
  const electronArgs = [path.join(root, 'dist', 'electron', 'main.js')];
  if (dataIdx >= 0 && passThrough[dataIdx + 1]) electronArgs.push(`--data=${path.resolve(passThrough[dataIdx + 1])}`);
  const child = spawn(electronBinary(), electronArgs, { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  // The compiled command line (dist/cli, rebuilt when a source is newer): no TypeScript compiled at each start.
  const { buildCli, freshCli } = await import('./build-cli.mjs');
  const entry = freshCli() ?? (await buildCli());
  const { main } = await import(pathToFileURL(entry).href);
  // Without --data, `serve` uses the default folder of the CLI and the window (electron/services/paths.ts).
  const serveArgs = ['serve', ...passThrough];
  process.exitCode = await main([...serveArgs, '--reason', `Running in the browser instead of the Electron window: ${reason}`]);
}
