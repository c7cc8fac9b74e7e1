// Builds the central server as its own deployable (issue 17): server/dist/main.js (`npm start`) and
// server/dist/cli.js, bundled from server/ and common/ (migrations included), with the packages of
// server/package.json left external. Run from server/ (`npm run build`) or the root (`npm run server:build`).
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

await build({
  entryPoints: { main: path.join(here, 'main.ts'), cli: path.join(here, 'cli.ts') },
  outdir: path.join(here, 'dist'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
