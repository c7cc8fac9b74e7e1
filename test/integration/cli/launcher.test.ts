/**
 * The `tirkeu` launcher runs compiled JavaScript (issue 18, goal 3): bin/tirkeu.mjs builds dist/cli from the sources
 * when they are newer (scripts/build-cli.mjs) and imports the build, never tsx, so a command starts at once.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { PROJECT_ROOT } from '../../../electron/services/paths';
// @ts-expect-error: a plain ES module script without types
import { CLI_DIR, freshCli } from '../../../scripts/build-cli.mjs';

const BIN = path.join(PROJECT_ROOT, 'bin', 'tirkeu.mjs');

describe('the tirkeu launcher', () => {
  it('runs the compiled build, which is up to date with every source it was built from', () => {
    const iin = makeIin('1985-03-01', 'F', 11);
    const out = execFileSync(process.execPath, [BIN, 'iin', iin], { encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject({ iin, valid: true, birthDate: '1985-03-01', sex: 'F' });
    const entry = freshCli() as string | null;
    expect(entry).not.toBeNull();
    expect(path.dirname(path.dirname(entry!))).toBe(CLI_DIR);
    const current = JSON.parse(fs.readFileSync(path.join(CLI_DIR, 'current.json'), 'utf8')) as { inputs: string[] };
    expect(current.inputs).toContain(path.join('electron', 'cli.ts'));
    expect(current.inputs).toContain(path.join('common', 'iin.ts'));
    // The build is JavaScript that loads no TypeScript compiler.
    const built = fs.readdirSync(path.dirname(entry!)).map((f) => fs.readFileSync(path.join(path.dirname(entry!), f), 'utf8'));
    expect(built.some((code) => /from ['"]tsx/.test(code))).toBe(false);
  });

  it('loads only what a command needs: `iin` reads no chunk that opens SQLite', () => {
    const entry = freshCli() as string;
    // The entry and the chunks it imports statically (a dynamic `import("./chunk")` loads only when a command runs).
    const loaded = new Set<string>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      const code = fs.readFileSync(file, 'utf8');
      for (const m of code.matchAll(/^import\s[^;]*?["'](\.\/[^"']+)["'];?$/gm)) visit(path.join(path.dirname(file), m[1]!));
    };
    visit(entry);
    const code = [...loaded].map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    expect(code).toMatch(/parseIin|function parseIin/);
    for (const heavy of ['better-sqlite3', 'exceljs', 'pdfkit', 'pkcs11js']) expect(code).not.toMatch(new RegExp(`from ["']${heavy}["']`));
  });
});
