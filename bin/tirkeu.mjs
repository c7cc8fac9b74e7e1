#!/usr/bin/env node
// The `tirkeu` command. The sources are TypeScript; tsx compiles them on the fly so `npx tirkeu` works right
// after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli.ts');
process.exitCode = await main(process.argv.slice(2));
