/**
 * Starting a worker thread from the application's own code, built or not: the bundled script beside the built main
 * process (scripts/build.mjs writes one per worker into dist/electron/), or, when running from the sources (tests,
 * `npm start` without a build), the TypeScript source through tsx, a development dependency the packaged
 * application never needs.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * `bundled`: the built script's URL, resolved by the caller against its own `import.meta.url` (in the bundle that is
 * dist/electron/main.js, so the name alone finds it); `source`: the worker's TypeScript file, likewise.
 */
export function startWorker(bundled: URL, source: URL, options: WorkerOptions): Worker {
  if (bundled.protocol === 'file:' && fs.existsSync(fileURLToPath(bundled))) return new Worker(bundled, options);
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(source.href)}, ${JSON.stringify(source.href)}))`,
    {
      ...options,
      eval: true,
    },
  );
}
