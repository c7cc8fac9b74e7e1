/**
 * The window's Pinia is the one that resets every store at logout (stores/reset-on-logout.ts): main.ts creates it
 * with createAppPinia, and no other renderer module creates a Pinia of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.join(__dirname, '../../../renderer/src');
const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.(ts|vue)$/.test(e.name) ? [path.join(dir, e.name)] : []));

describe('the window’s Pinia', () => {
  it('is created by createAppPinia in main.ts', () => {
    expect(fs.readFileSync(path.join(src, 'main.ts'), 'utf8')).toMatch(/\.use\(createAppPinia\(\)\)/);
  });

  it('is the only Pinia', () => {
    const creators = files(src).filter((f) => /\bcreatePinia\(/.test(fs.readFileSync(f, 'utf8')));
    expect(creators.map((f) => path.relative(src, f))).toEqual([path.join('stores', 'reset-on-logout.ts')]);
  });
});
