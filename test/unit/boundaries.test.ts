/**
 * The architecture's rules of the house as a test (issue 12): which folder may import what, where `electron` and
 * raw SQL may appear, and where the clock may be read. Until now they held by convention; a wrong import passed
 * every check. Each rule is one row of a table: the files it applies to and what it forbids in them. A failure
 * lists `file:line  rule  (what was found)`.
 *
 * Imports are read with `ts.preProcessFile` (static imports, re-exports, `import()` and `require()`, type-only
 * ones included: a type import still ties the two layers), from `.ts` files and the `<script>` blocks of `.vue`
 * files. Tests and tooling (test/, bench/, scripts/, bin/) are not scanned.
 */
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const NOT_SOURCE = new Set(['dist', 'out', 'test', 'bench', 'scripts', 'bin', 'resources', 'test-results', 'coverage']);

/** Browser packages the renderer may use (everything else it needs comes through common/ and the API contract). */
const RENDERER_PACKAGES = new Set(['vue', 'pinia', 'vue-router', 'vue-i18n', 'zod', 'papaparse']);
/** The Electron shell: the only files that may import 'electron'. */
const ELECTRON_SHELL = new Set(['electron/main.ts', 'electron/window.ts', 'electron/preload.ts', 'electron/ipc.ts']);
/** Top-level folders with rules of their own; any other source folder (e.g. the shared signing module) is "shared". */
const KNOWN_ROOTS = new Set(['electron', 'renderer', 'common', 'db', 'server']);

type Target = { kind: 'file'; path: string } | { kind: 'package'; name: string } | { kind: 'builtin'; name: string };

interface ScriptBlock {
  source: ts.SourceFile;
  /** Lines before the block in the file (a .vue file's template, say). */
  lineOffset: number;
}

interface SourceFile {
  /** Repository-relative, with forward slashes. */
  file: string;
  blocks: ScriptBlock[];
}

interface Finding {
  line: number;
  what: string;
}

interface Rule {
  name: string;
  appliesTo: (file: string) => boolean;
  find: (source: SourceFile) => Finding[];
}

const under = (file: string, folder: string) => file === folder || file.startsWith(`${folder}/`);
const rootOf = (file: string) => file.split('/')[0] ?? '';
/** The only modules that may read the real time. */
const CLOCK_MODULES = new Set(['common/clock.ts', 'renderer/src/shared/app-clock.ts']);
const isShared = (file: string) => !KNOWN_ROOTS.has(rootOf(file));
const isTest = (file: string) => /\.(test|spec)\.ts$/.test(file);

/** An import rule: `forbids` says whether one imported target breaks it. */
function importRule(name: string, appliesTo: (file: string) => boolean, forbids: (target: Target) => boolean): Rule {
  return {
    name,
    appliesTo,
    find: (src) =>
      importsOf(src)
        .filter((i) => forbids(classify(i.specifier, src.file)))
        .map((i) => ({ line: i.line, what: `imports '${i.specifier}'` })),
  };
}

const RULES: Rule[] = [
  importRule(
    'the renderer imports only common/, its own files and browser packages',
    (f) => under(f, 'renderer'),
    (t) =>
      t.kind === 'file' ? !under(t.path, 'renderer') && !under(t.path, 'common') : t.kind === 'builtin' || !RENDERER_PACKAGES.has(t.name),
  ),
  importRule(
    'server/ never imports the workstation (electron/, db/)',
    (f) => under(f, 'server'),
    (t) => t.kind === 'file' && (under(t.path, 'electron') || under(t.path, 'db')),
  ),
  importRule(
    'db/ never imports services, the shell, the renderer or the server',
    (f) => under(f, 'db'),
    (t) => t.kind === 'file' && (under(t.path, 'electron') || under(t.path, 'renderer') || under(t.path, 'server')),
  ),
  importRule(
    'common/ imports no Node built-in and nothing outside common/ but zod',
    (f) => under(f, 'common'),
    (t) => (t.kind === 'file' ? !under(t.path, 'common') : t.kind === 'builtin' || t.name !== 'zod'),
  ),
  importRule(
    // e.g. the signing/PKI module the workstation and the server share: the server must be able to load it.
    'a shared module outside the layers never imports electron/, db/ or the renderer',
    isShared,
    (t) => t.kind === 'file' && (under(t.path, 'electron') || under(t.path, 'db') || under(t.path, 'renderer')),
  ),
  importRule(
    "only electron/main.ts, window.ts, preload.ts and ipc.ts import 'electron'",
    (f) => !ELECTRON_SHELL.has(f),
    (t) => t.kind === 'package' && t.name === 'electron',
  ),
  {
    name: 'no SQL outside db/ and server/',
    appliesTo: (f) => !under(f, 'db') && !under(f, 'server') && !f.includes('/migrations/') && !isTest(f),
    find: sqlLiterals,
  },
  {
    // common/clock.ts is the workstation's and the server's one systemClock; the renderer's clock follows the
    // workstation's through every API answer (renderer/src/shared/app-clock.ts).
    name: 'the clock is injected: no new Date() or Date.now() in services, db/, server/, common/, the renderer or shared modules',
    appliesTo: (f) =>
      (under(f, 'electron/services') ||
        under(f, 'db') ||
        under(f, 'server') ||
        under(f, 'common') ||
        under(f, 'renderer') ||
        isShared(f)) &&
      !CLOCK_MODULES.has(f) &&
      !isTest(f),
    find: clockReads,
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Reading the sources

function listSources(dir = ROOT, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules' || (rel === '' && NOT_SOURCE.has(entry.name))) continue;
      out.push(...listSources(path.join(dir, entry.name), relPath));
    } else if (rel !== '' && /\.(ts|mts|cts|vue)$/.test(entry.name)) {
      out.push(relPath);
    }
  }
  return out;
}

function readSource(file: string): SourceFile {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  if (!file.endsWith('.vue')) return { file, blocks: [{ source: parse(file, text), lineOffset: 0 }] };
  const blocks: ScriptBlock[] = [];
  for (const m of text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
    const start = m.index + m[0].indexOf('>') + 1;
    blocks.push({ source: parse(`${file}.ts`, m[1] ?? ''), lineOffset: text.slice(0, start).split('\n').length - 1 });
  }
  return { file, blocks };
}

const parse = (name: string, text: string) => ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

function lineOf(block: ScriptBlock, pos: number): number {
  return block.source.getLineAndCharacterOfPosition(pos).line + 1 + block.lineOffset;
}

function importsOf(src: SourceFile): Array<{ specifier: string; line: number }> {
  return src.blocks.flatMap((block) =>
    ts.preProcessFile(block.source.text, true, true).importedFiles.map((f) => ({ specifier: f.fileName, line: lineOf(block, f.pos) })),
  );
}

function classify(specifier: string, fromFile: string): Target {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const abs = path.resolve(ROOT, path.dirname(fromFile), specifier);
    return { kind: 'file', path: path.relative(ROOT, abs).split(path.sep).join('/') };
  }
  if (isBuiltin(specifier)) return { kind: 'builtin', name: specifier };
  const parts = specifier.split('/');
  return { kind: 'package', name: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier) };
}

function visit(src: SourceFile, check: (node: ts.Node, block: ScriptBlock) => Finding | null): Finding[] {
  const found: Finding[] = [];
  for (const block of src.blocks) {
    const walk = (node: ts.Node): void => {
      const f = check(node, block);
      if (f) found.push(f);
      ts.forEachChild(node, walk);
    };
    walk(block.source);
  }
  return found;
}

const SQL = /\b(SELECT\b[\s\S]*\bFROM|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b/;

/** String and template literals that read like SQL statements (a heuristic: upper-case keywords; a lone 'SELECT' is a tag name). */
function sqlLiterals(src: SourceFile): Finding[] {
  return visit(src, (node, block) => {
    let text: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node)) text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ? ');
    const m = text === null ? null : SQL.exec(text);
    return m
      ? { line: lineOf(block, node.getStart(block.source)), what: `SQL literal '${m[1]?.startsWith('SELECT') ? 'SELECT' : m[1]}…'` }
      : null;
  });
}

/** `new Date()` without arguments and `Date.now()`: reading the real clock instead of the injected one. */
function clockReads(src: SourceFile): Finding[] {
  return visit(src, (node, block) => {
    const at = () => lineOf(block, node.getStart(block.source));
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && !node.arguments?.length) {
      return { line: at(), what: 'new Date()' };
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === 'Date' &&
      node.expression.name.text === 'now'
    ) {
      return { line: at(), what: 'Date.now()' };
    }
    return null;
  });
}

// ---------------------------------------------------------------------------------------------------------------

const sources = listSources().map(readSource);

describe('the boundaries between the layers', () => {
  it('scans every layer', () => {
    const roots = new Set(sources.map((s) => rootOf(s.file)));
    for (const root of KNOWN_ROOTS) expect(roots, root).toContain(root);
    expect(sources.some((s) => s.file.endsWith('.vue') && s.blocks.length > 0)).toBe(true);
  });

  it('the detectors catch what they look for', () => {
    const sample: SourceFile = {
      file: 'sample.ts',
      blocks: [
        {
          source: parse(
            'sample.ts',
            "import a from '../db/people';\nconst b = await import('node:fs');\nconst q = `SELECT ${a} FROM t`;\nconst t = [new Date(), Date.now(), new Date(0), 'SELECT'];\n",
          ),
          lineOffset: 10,
        },
      ],
    };
    expect(importsOf(sample)).toEqual([
      { specifier: '../db/people', line: 11 },
      { specifier: 'node:fs', line: 12 },
    ]);
    expect(classify('../db/people', 'renderer/x.ts')).toEqual({ kind: 'file', path: 'db/people' });
    expect(classify('node:fs', 'common/x.ts')).toEqual({ kind: 'builtin', name: 'node:fs' });
    expect(classify('@peculiar/x509/lib', 'server/x.ts')).toEqual({ kind: 'package', name: '@peculiar/x509' });
    expect(sqlLiterals(sample)).toEqual([{ line: 13, what: "SQL literal 'SELECT…'" }]);
    expect(clockReads(sample).map((f) => f.what)).toEqual(['new Date()', 'Date.now()']);
  });

  it.each(RULES.map((r) => [r.name, r] as const))('%s', (_name, rule) => {
    const violations = sources
      .filter((s) => rule.appliesTo(s.file))
      .flatMap((s) => rule.find(s).map((f) => `${s.file}:${f.line}  ${rule.name}  (${f.what})`));
    expect(violations).toEqual([]);
  });
});
