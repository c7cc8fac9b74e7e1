/**
 * Proof that the renderer's tsconfig keeps Node out (issue 12): a probe project that extends tsconfig.web.json
 * compiles a file importing only common/, and refuses one importing a Node built-in (no Node types) and one
 * importing db/ (a file outside the project's `include`: TS6307 under `composite`).
 *
 * Each probe is its own project (a db/ import may bring Node types along, which would hide the first error), in a
 * throw-away folder under .tmp/ so that `vite/client` resolves as it does for the renderer, and includes only the
 * file it imports. The probes are compiled as `tsc --noEmit -p <probe>` would, through the compiler API with one
 * cache of parsed files, so the DOM library is parsed once rather than once per probe.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
const work = fs.mkdtempSync(path.join(ROOT, '.tmp', 'web-probe-'));
const parsedFiles = new Map<string, ts.SourceFile | undefined>();

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/**
 * Writes `probe.ts` (`@ROOT` = the repository) in a project extending the web config and type-checks it; returns
 * the errors as `file(line,col): error TSnnnn: message`, file relative to the probe folder.
 */
function compileProbe(name: string, text: string, alsoInclude: string[] = []): string[] {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  const fromDir = (p: string) => path.relative(dir, path.join(ROOT, p)).split(path.sep).join('/');
  const config = {
    extends: fromDir('tsconfig.web.json'),
    compilerOptions: { tsBuildInfoFile: './probe.tsbuildinfo' },
    include: ['probe.ts', ...alsoInclude.map(fromDir)],
  };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config, null, 2));
  fs.writeFileSync(path.join(dir, 'probe.ts'), text.replaceAll('@ROOT', fromDir('.')));

  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(dir, 'tsconfig.json'),
    { noEmit: true },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${dir}/tsconfig.json`);
  const host = ts.createCompilerHost(parsed.options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) => {
    if (!parsedFiles.has(file)) parsedFiles.set(file, read(file, language, ...rest));
    return parsedFiles.get(file);
  };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
    const file = d.file ? path.relative(dir, d.file.fileName).split(path.sep).join('/') : '';
    const at = where ? `${file}(${where.line + 1},${where.character + 1})` : file;
    return `${at}: error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe('the renderer tsconfig (tsconfig.web.json)', () => {
  it('compiles a file that imports only common/', () => {
    const errors = compileProbe(
      'common',
      "import { isValidIin } from '@ROOT/common/iin';\nexport const ok: boolean = isValidIin('000000000000');\n",
      ['common/iin.ts'],
    );
    expect(errors).toEqual([]);
  });

  it('refuses a Node built-in', () => {
    const errors = compileProbe('node', "import fs from 'node:fs';\nexport const exists = fs.existsSync('.');\n");
    expect(errors).toEqual([expect.stringMatching(/^probe\.ts\(1,\d+\): error TS2307: Cannot find module 'node:fs'/)]);
  });

  it('refuses a workstation module (db/)', () => {
    const errors = compileProbe('db', "import { openDatabase } from '@ROOT/db/connection';\nexport const open = openDatabase;\n");
    expect(errors).toContainEqual(
      expect.stringMatching(/^probe\.ts\(1,\d+\): error TS6307: File '.*\/db\/connection\.ts' is not listed within the file list/),
    );
  });
});
