/**
 * The packaged workstation flips Electron's fuses (issue 14): electron-builder reads `electronFuses` from
 * electron-builder.yml. Electron's binary cannot be fetched here, so the configuration is what is checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../electron/services/paths';

function fuses(): Record<string, string> {
  const lines = fs.readFileSync(path.join(PROJECT_ROOT, 'electron-builder.yml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === 'electronFuses:');
  expect(start).toBeGreaterThanOrEqual(0);
  const out: Record<string, string> = {};
  for (const l of lines.slice(start + 1)) {
    const m = /^ {2}(\w+): (\S+)$/.exec(l);
    if (!m) break;
    out[m[1]!] = m[2]!;
  }
  return out;
}

describe('Electron fuses', () => {
  it('the installed application cannot be run as Node, inspected or loaded from outside its checked asar', () => {
    expect(fuses()).toEqual({
      runAsNode: 'false',
      enableCookieEncryption: 'true',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
  });
});
