/** The manifest reader and the version order the update check depends on (common/update-manifest.ts). */
import { describe, expect, it } from 'vitest';
import { compareVersions, installerOf, manifestFiles, parseUpdateManifest } from '../../../common/update-manifest';

describe('compareVersions', () => {
  it('orders versions as semver does', () => {
    const ordered = [
      '0.1.0',
      '0.1.1',
      '0.2.0',
      '0.10.0',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '2.0.0',
      '10.0.0',
    ];
    for (let i = 0; i < ordered.length; i++)
      for (let j = 0; j < ordered.length; j++)
        expect(compareVersions(ordered[i]!, ordered[j]!), `${ordered[i]} vs ${ordered[j]}`).toBe(Math.sign(i - j));
  });
  it('ignores build metadata and a leading v; refuses what is not a version', () => {
    expect(compareVersions('v1.2.3+build.5', '1.2.3')).toBe(0);
    expect(() => compareVersions('1.2', '1.2.0')).toThrow(/not a version/);
  });
});

describe('parseUpdateManifest', () => {
  const yml = [
    'version: 1.4.0',
    'files:',
    '  - url: Tirkeu-Setup-1.4.0.exe',
    '    sha512: abc+/def==',
    '    size: 1024',
    '  - url: Tirkeu-1.4.0.zip',
    "    sha512: 'zzz='",
    '    size: 2048',
    'path: Tirkeu-Setup-1.4.0.exe',
    'sha512: abc+/def==',
    "releaseDate: '2026-12-01T10:00:00.000Z'",
    'releaseNotes: >-',
    '  Faster',
    '  printing.',
    '',
  ].join('\n');
  it('reads what electron-builder writes', () => {
    const m = parseUpdateManifest(yml);
    expect(m).toMatchObject({
      version: '1.4.0',
      path: 'Tirkeu-Setup-1.4.0.exe',
      releaseDate: '2026-12-01T10:00:00.000Z',
      notes: 'Faster printing.',
    });
    expect(m.files).toEqual([
      { url: 'Tirkeu-Setup-1.4.0.exe', sha512: 'abc+/def==', size: 1024 },
      { url: 'Tirkeu-1.4.0.zip', sha512: 'zzz=', size: 2048 },
    ]);
    expect(installerOf(m).url).toBe('Tirkeu-Setup-1.4.0.exe');
    expect(manifestFiles(m)).toContain('Tirkeu-1.4.0.zip');
  });
  it('names the field that is wrong', () => {
    expect(() => parseUpdateManifest(yml.replace('version: 1.4.0', 'version: latest'))).toThrow(/^version:/);
    expect(() => parseUpdateManifest(yml.replace('sha512: abc+/def==\n    size', 'sha512: not base64!\n    size'))).toThrow(
      /files\[0\]\.sha512/,
    );
    expect(() => parseUpdateManifest('version: 1.0.0\n')).toThrow(/^files:/);
  });
});
