import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import setup from './temp-root';

describe('the test run’s temporary folder', () => {
  it('is where this test process makes its temporary files, apart from the folder that outlives the run', () => {
    const cache = process.env.TIRKEU_TEST_CACHE!;
    expect(cache).toBeTruthy();
    expect(path.dirname(os.tmpdir())).toBe(cache);
    expect(path.basename(os.tmpdir())).toMatch(/^tirkeu-run-/);
  });

  it('is removed with everything in it when the run ends, and the environment is as it was', () => {
    const before = process.env.TMPDIR;
    const teardown = setup();
    const root = process.env.TMPDIR!;
    expect(root).not.toBe(before);
    fs.mkdirSync(path.join(os.tmpdir(), 'tirkeu-pglite-x', 'base'), { recursive: true });
    fs.writeFileSync(path.join(os.tmpdir(), 'tirkeu-pglite-x', 'base', 'file'), 'x');
    teardown();
    expect(fs.existsSync(root)).toBe(false);
    expect(process.env.TMPDIR).toBe(before);
  });
});
