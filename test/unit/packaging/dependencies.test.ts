/**
 * What each deployable declares it needs (issue 17). The desktop package carries the root `dependencies`, so
 * they must be exactly the packages the workstation's main process and preload load at run time (the renderer is
 * bundled by Vite; the CLI, the tests and the central server use devDependencies). The central server is its own
 * deployable: server/package.json names what server/ and common/ import, at the versions the tests run.
 */
import { buildSync } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

/** Packages imported at run time by a bundle of `entry` (type-only imports vanish in the bundle). */
function runtimePackages(entry: string): Set<string> {
  const result = buildSync({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
    outdir: 'unused',
  });
  const names = new Set<string>();
  for (const output of Object.values(result.metafile.outputs))
    for (const imp of output.imports)
      if (imp.external && !imp.path.startsWith('node:') && imp.path !== 'electron')
        names.add(imp.path.startsWith('@') ? imp.path.split('/').slice(0, 2).join('/') : imp.path.split('/')[0]!);
  return names;
}

describe('the desktop dependencies', () => {
  it('are exactly what electron/main.ts and the preload load at run time', () => {
    const used = new Set([...runtimePackages('electron/main.ts'), ...runtimePackages('electron/preload.ts')]);
    // The printouts' fonts are files found with require.resolve (electron/services/documents/pdf.ts).
    used.add('dejavu-fonts-ttf');
    expect(Object.keys(readJson('package.json').dependencies).sort()).toEqual([...used].sort());
  });
});

describe('the central server deployable', () => {
  const server = readJson('server/package.json');
  const rootPkg = readJson('package.json');

  it('declares every package server/main.ts and server/cli.ts load, and nothing else', () => {
    const used = new Set([...runtimePackages('server/main.ts'), ...runtimePackages('server/cli.ts')]);
    expect(Object.keys(server.dependencies).sort()).toEqual([...used].sort());
  });

  it('asks for the same versions the tests run at the root', () => {
    const all = { ...rootPkg.dependencies, ...rootPkg.devDependencies };
    for (const [name, range] of Object.entries({ ...server.dependencies, ...server.devDependencies })) expect(range, name).toBe(all[name]);
    const rootLock = readJson('package-lock.json').packages;
    const serverLock = readJson('server/package-lock.json').packages;
    for (const name of Object.keys(server.dependencies))
      expect(serverLock[`node_modules/${name}`].version, name).toBe(rootLock[`node_modules/${name}`].version);
  });

  it('is not packed into the desktop application', () => {
    const eb = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
    expect(eb).not.toMatch(/^\s*-\s*['"]?server\//m);
    for (const name of ['fastify', 'pg', '@electric-sql/pglite']) {
      expect(Object.keys(server.dependencies)).toContain(name);
      expect(Object.keys(rootPkg.dependencies)).not.toContain(name);
    }
  });
});
