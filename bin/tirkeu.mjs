#!/usr/bin/env node
// The `tirkeu` command. It runs the compiled build in dist/cli (`npm run build` makes it), so a command starts in
// a fraction of a second. In a checkout whose sources are newer than the build (or with no build yet), it builds
// first (a second or two, once); TIRKEU_CLI_TSX=1 runs the TypeScript sources through tsx instead.
import { pathToFileURL } from 'node:url';
import { buildCli, freshCli } from '../scripts/build-cli.mjs';

let main;
if (process.env.TIRKEU_CLI_TSX === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../electron/cli.ts'));
} else {
  const entry = freshCli() ?? (await buildCli());
  ({ main } = await import(pathToFileURL(entry).href));
}
process.exitCode = await main(process.argv.slice(2));
