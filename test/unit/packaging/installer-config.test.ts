/**
 * The installer configuration (issue 17): the icons every target needs, in their sizes, and what deb/rpm/NSIS
 * require or the clinic expects. The files are read as the tools read them (PNG header, ICO directory).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const root = path.resolve(import.meta.dirname, '..', '..', '..');
const build = path.join(root, 'resources', 'build');
const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function pngSize(file: string): [number, number] {
  const b = fs.readFileSync(file);
  expect(b.subarray(1, 4).toString('latin1'), file).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

/** The sizes in an .ico file's directory (0 stands for 256). */
function icoSizes(file: string): number[] {
  const b = fs.readFileSync(file);
  expect(b.readUInt16LE(2), 'ICO type').toBe(1);
  return Array.from({ length: b.readUInt16LE(4) }, (_, i) => b[6 + i * 16] || 256);
}

describe('the icons', () => {
  it('Linux: one square PNG per size in resources/build/icons, 16 to 512 px', () => {
    expect(config.linux.icon).toBe('icons');
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512])
      expect(pngSize(path.join(build, 'icons', `${size}x${size}.png`))).toEqual([size, size]);
  });

  it('Windows and NSIS: icon.ico holds 16 to 256 px; icon.png is the 1024 px source', () => {
    expect(icoSizes(path.join(build, 'icon.ico')).sort((a, b) => a - b)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    expect(pngSize(path.join(build, 'icon.png'))).toEqual([1024, 1024]);
    expect(config.win.icon).toBe('icon.ico');
  });
});

describe('the installers', () => {
  it('deb and rpm have their homepage and maintainer', () => {
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.author.email).toMatch(/@/);
    expect(config.linux.maintainer).toMatch(/^.+ <.+@.+>$/);
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb', 'rpm']));
  });

  it('NSIS installs per machine, and its uninstaller keeps the users’ data unless asked', () => {
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true, deleteAppDataOnUninstall: false });
    // The question the uninstaller asks, default No, never on an update or a silent uninstall.
    const nsh = fs.readFileSync(path.join(build, config.nsis.include), 'utf8');
    expect(nsh).toMatch(/!macro customUnInstall[\s\S]*\$\{ifNot\} \$\{isUpdated\}[\s\S]*MB_DEFBUTTON2[\s\S]*\/SD IDNO IDNO/);
    // Every language the installer speaks has the question; NSIS has no Kazakh language file.
    const lcids: Record<string, number> = { ru_RU: 1049, en_US: 1033 };
    expect(config.nsis.installerLanguages).not.toContain('kk_KZ');
    for (const lang of config.nsis.installerLanguages) expect(nsh).toContain(`LangString TirkeuDeleteData ${lcids[lang]} `);
  });

  it('flips the fuses that keep the installed workstation from becoming a general Node.js', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      onlyLoadAppFromAsar: true,
    });
  });

  it('checks the native modules after packing, and leaves the rebuild to scripts/package.mjs', () => {
    expect(config.afterPack).toBe('./scripts/packaging/after-pack.mjs');
    expect(config.npmRebuild).toBe(false);
    expect(pkg.scripts.package).toBe('node scripts/package.mjs');
  });
});
