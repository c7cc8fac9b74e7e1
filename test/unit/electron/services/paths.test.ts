/** One default data folder for `npm start`, the Electron window and the command line (issue 16). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, isSourceCheckout, PROJECT_ROOT } from '../../../../electron/services/paths';

describe('defaultDataDir', () => {
  it('is the checkout’s .data/ when run from the sources, as `npm start` uses it', () => {
    expect(isSourceCheckout(PROJECT_ROOT)).toBe(true);
    expect(defaultDataDir({}, PROJECT_ROOT)).toBe(path.join(PROJECT_ROOT, '.data'));
  });

  it('$TIRKEU_DATA wins everywhere', () => {
    expect(defaultDataDir({ TIRKEU_DATA: 'some/where' }, PROJECT_ROOT)).toBe(path.resolve('some/where'));
  });

  it('is the installed application’s user-data folder elsewhere (productName Tirkeu)', () => {
    const installed = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-installed-'));
    try {
      expect(isSourceCheckout(installed)).toBe(false);
      expect(isSourceCheckout(path.join(installed, 'resources', 'app.asar'))).toBe(false);
      const dir = defaultDataDir({ XDG_CONFIG_HOME: '/home/reg/.config', APPDATA: 'C:\\Users\\reg\\AppData\\Roaming' }, installed);
      expect(path.basename(dir)).toBe('Tirkeu');
      expect(dir).not.toContain(installed);
    } finally {
      fs.rmSync(installed, { recursive: true, force: true });
    }
  });

  it('package.json names the product as electron-builder does, so a development window uses the same folder', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { productName?: string };
    const builder = fs.readFileSync(path.join(PROJECT_ROOT, 'electron-builder.yml'), 'utf8');
    expect(builder).toContain(`productName: ${pkg.productName}`);
  });
});
