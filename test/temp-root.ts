/**
 * Vitest's global setup: every test run gets one temporary folder of its own, removed when the run ends, pass or
 * fail. Workstation files, PGlite data folders (40 MB each), PostgreSQL clusters, Chromium profiles and printouts
 * are all made under os.tmpdir(); a run used to leave some 5 GB of them behind, which fills a runner that reuses
 * its disk. Setting TMPDIR before the test processes start points os.tmpdir() in each of them (and in OpenSSL,
 * initdb and Chromium, which they start) at this run's folder.
 *
 * What is meant to outlive a run (the migrated PGlite template, the test key folder) stays in the real temporary
 * folder, named by TIRKEU_TEST_CACHE.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const cache = process.env.TIRKEU_TEST_CACHE ?? os.tmpdir();
  const root = fs.mkdtempSync(path.join(cache, 'tirkeu-run-'));
  // Like /tmp itself, open to the other users the tests run programs as (PostgreSQL as `postgres` under root).
  fs.chmodSync(root, 0o1777);
  const before = { TMPDIR: process.env.TMPDIR, TIRKEU_TEST_CACHE: process.env.TIRKEU_TEST_CACHE };
  process.env.TIRKEU_TEST_CACHE = cache;
  process.env.TMPDIR = root;
  return () => {
    restore('TMPDIR', before.TMPDIR);
    restore('TIRKEU_TEST_CACHE', before.TIRKEU_TEST_CACHE);
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
