#!/usr/bin/env node
// The `tirkeu` command. It runs the compiled build in dist/cli (`npm run build` makes it), so a command starts in
// a fraction of a second. In a checkout whose sources are newer than the build (or with no build yet), it builds
// first (a second or two, once). TIRKEU_CLI_TSX=1 runs the TypeScript sources through tsx instead, as does a
// checkout where the build cannot be made (no esbuild).
import { pathToFileURL } from 'node:url';
import { buildCli, freshCli } from '../scripts/build-cli.mjs';

async function fromSources() {
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../electron/cli.ts')).main;
}

let main;
if (process.env.TIRKEU_CLI_TSX === '1') main = await fromSources();
else {
  let entry = freshCli();
  if (!entry) {
    try {
      entry = await buildCli();
    } catch (error) {
      process.stderr.write(`tirkeu: cannot build dist/cli (${error.message}); running the sources through tsx\n`);
    }
  }
  main = entry ? (await import(pathToFileURL(entry).href)).main : await fromSources();
}
process.exitCode = await main(process.argv.slice(2));
