/**
 * `npm run bench` — the project's benchmark. Each suite measures the figures its issue names, with a naive
 * baseline beside them where one makes sense. Every suite runs `--repeat` times (5 by default), each time in a fresh
 * process, the suites taking turns so a drift of the shared machine spreads over all of them; a figure is the median
 * of its repetitions, printed with their spread (bench/stats.ts).
 *
 *   --only X[,Y]      suites by name prefix (`people`), or single figures by id prefix (`desk.talon_pdf`)
 *   --repeat N        repetitions (default 5; 1 with --quick unless given)
 *   --quick           smaller data (smoke runs)
 *   --json            the figures as a JSON array on stdout instead of the table
 *   --out FILE        also write the run (figures with their repetitions) to FILE
 *   --compare FILE    print each figure's change against an earlier run's FILE, marking those beyond the spread
 *   --readme FILE     run nothing: merge FILE's figures into bench/results.json and regenerate README.md's table
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { changeRows, compare, MIN_REPETITIONS, readmeTable, replaceReadmeBlock, summarizeAll, withSpread, shown } from './stats';
import type { BenchFigure, BenchSuite } from './types';

// Listed explicitly so a missing suite is an error, not a silent skip.
const SUITES: Record<string, () => Promise<{ default: BenchSuite }>> = {
  people: () => import('./people.bench'),
  deadlines: () => import('./deadlines.bench'),
  signing: () => import('./signing.bench'),
  workflow: () => import('./workflow.bench'),
  sync: () => import('./sync.bench'),
  'sync-clinic': () => import('./sync-clinic.bench'),
  'sync-stall': () => import('./sync-stall.bench'),
  dispensary: () => import('./dispensary.bench'),
  desk: () => import('./desk.bench'),
  erequests: () => import('./erequests.bench'),
  cli: () => import('./cli.bench'),
  startup: () => import('./startup.bench'),
  verification: () => import('./verification.bench'),
};
/** Figure ids that do not start with their suite's name, so `--only <figure>` finds the suite. */
const FIGURE_PREFIXES: Record<string, string[]> = {
  signing: ['crl.', 'verify.', 'sign.'],
  workflow: ['dashboard.'],
  sync: ['sync.push-', 'sync.pull-', 'sync.catch-up-'],
  'sync-clinic': ['sync.booking-push.', 'sync.first-pull.', 'sync.publish-delays-'],
  'sync-stall': ['sync.desk-'],
};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench', 'results.json');

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    quick: { type: 'boolean' },
    only: { type: 'string' },
    repeat: { type: 'string' },
    out: { type: 'string' },
    compare: { type: 'string' },
    readme: { type: 'string' },
    suite: { type: 'string' },
    emit: { type: 'string' },
  },
});
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const only = values.only ? values.only.split(',').filter(Boolean) : [];

/** Whether `--only` picks a suite, and then whether it picks every figure of it or some. */
function selection(name: string): 'all' | 'some' | 'none' {
  if (only.length === 0 || only.some((o) => name.startsWith(o))) return 'all';
  const prefixes = FIGURE_PREFIXES[name] ?? [`${name}.`];
  return only.some((o) => prefixes.some((p) => o.startsWith(p) || p.startsWith(o))) ? 'some' : 'none';
}
const wanted = (name: string) => (id: string) => selection(name) === 'all' || only.some((o) => id.startsWith(o));

/** One suite, in this process: the child side of the loop below. */
async function runSuite(name: string): Promise<BenchFigure[]> {
  const load = SUITES[name];
  if (!load) throw new Error(`no bench suite ${name}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tirkeu-bench-${name}-`));
  const wants = wanted(name);
  try {
    const figures = await (await load()).default({ dir, quick: !!values.quick, log: (m) => log(`${name}: ${m}`), wants });
    return figures.filter((f) => wants(f.id));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface RunFile {
  ranAt: string;
  repetitions: number;
  quick: boolean;
  machine: string;
  figures: BenchFigure[];
}

/** A run file: the object `--out` writes, or the plain array of `--json`. */
function readRun(file: string): RunFile {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as RunFile | BenchFigure[];
  if (Array.isArray(data))
    return { ranAt: fs.statSync(file).mtime.toISOString(), repetitions: 1, quick: false, machine: '', figures: data };
  if (!Array.isArray(data.figures)) throw new Error(`${file}: no "figures" array`);
  return data;
}

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
}

/** Writes a file as `npm run format` would, so the generated files pass `prettier --check`. */
async function writeFormatted(file: string, text: string): Promise<void> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  fs.writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
}

/** `--readme FILE`: the figures kept in bench/results.json (newest measurement of each id) and the README's table. */
async function regenerateReadme(file: string): Promise<void> {
  const run = readRun(file);
  const kept = fs.existsSync(RESULTS) ? readRun(RESULTS).figures : [];
  const stamped = run.figures.map((f) => ({ ...f, note: f.note, measuredAt: run.ranAt }));
  const ids = new Set(stamped.map((f) => f.id));
  const figures = [...kept.filter((f) => !ids.has(f.id)), ...stamped].sort((a, b) => a.id.localeCompare(b.id));
  const results: RunFile = { ranAt: run.ranAt, repetitions: run.repetitions, quick: run.quick, machine: run.machine, figures };
  await writeFormatted(RESULTS, JSON.stringify(results, null, 2));
  const dates = [...new Set(figures.map((f) => String((f as { measuredAt?: string }).measuredAt ?? '').slice(0, 10)))].sort();
  const about =
    `Generated from bench/results.json (runs of ${dates.join(', ')}; ${run.machine || 'this machine'}): each figure is ` +
    `the median of its runs, each run a fresh process; the spread is the runs' range; the note is the run's nearest ` +
    `the median (for figures measured before 2026-12-07 10:45 UTC, the first run's).`;
  const readme = path.join(ROOT, 'README.md');
  await writeFormatted(readme, replaceReadmeBlock(fs.readFileSync(readme, 'utf8'), readmeTable(figures, about)));
  log(`README.md: ${figures.length} figures (${run.figures.length} from ${file})`);
}

if (values.suite) {
  fs.writeFileSync(values.emit!, JSON.stringify(await runSuite(values.suite)));
  process.exit(0);
}
if (values.readme) {
  await regenerateReadme(values.readme);
  process.exit(0);
}

const repetitions = values.repeat ? Number(values.repeat) : values.quick ? 1 : MIN_REPETITIONS;
if (!Number.isInteger(repetitions) || repetitions < 1) throw new Error(`--repeat: a whole number ≥ 1, not ${values.repeat}`);
if (repetitions < MIN_REPETITIONS) log(`${repetitions} repetition(s): fewer than ${MIN_REPETITIONS}, not a figure to publish`);
const names = Object.keys(SUITES).filter((n) => selection(n) !== 'none');
if (names.length === 0)
  throw new Error(`--only ${values.only}: no suite or figure by that name (suites: ${Object.keys(SUITES).join(', ')})`);

// Each suite runs in its own process: a PKCS#11 module reads its configuration once per process (two SoftHSM
// set-ups cannot share one), and one suite's memory must not weigh on the next one's figures.
const reps: BenchFigure[][] = [];
let broken = 0;
for (let r = 1; r <= repetitions; r++) {
  const rep: BenchFigure[] = [];
  for (const name of names) {
    log(`${name} (${r}/${repetitions})…`);
    const out = path.join(os.tmpdir(), `tirkeu-bench-${process.pid}-${name}.json`);
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        process.argv[1]!,
        '--suite',
        name,
        '--emit',
        out,
        ...(values.quick ? ['--quick'] : []),
        ...(values.only ? ['--only', values.only] : []),
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (child.status === 0 && fs.existsSync(out)) rep.push(...(JSON.parse(fs.readFileSync(out, 'utf8')) as BenchFigure[]));
    else {
      broken++;
      log(`${name} failed (exit ${child.status ?? child.signal})`);
    }
    fs.rmSync(out, { force: true });
  }
  reps.push(rep);
}
const figures = summarizeAll(reps);

if (values.out) {
  const run: RunFile = {
    ranAt: new Date().toISOString(),
    repetitions,
    quick: !!values.quick,
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}`,
    figures,
  };
  fs.writeFileSync(values.out, JSON.stringify(run, null, 2) + '\n');
}
if (values.json) {
  process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
} else {
  printTable(
    ['figure', 'median ± spread', 'runs', 'target', '', 'baseline'],
    figures.map((f) => [
      f.id,
      withSpread(f),
      f.spread ? `${shown(f.spread.min)}–${shown(f.spread.max)} ×${f.runs!.length}` : '',
      `${f.direction === 'min' ? '≥' : '≤'} ${f.target} ${f.unit}`,
      f.pass ? 'pass' : 'FAIL',
      f.baseline ? `${f.baseline.what}: ${shown(f.baseline.value)} ${f.unit} (×${shown(f.baseline.ratio)})` : '',
    ]),
  );
  const failed = figures.filter((f) => !f.pass).length;
  process.stdout.write(
    `\n${figures.length - failed} passed, ${failed} failed${broken ? `, ${broken} suite run(s) broken` : ''}` +
      `${values.quick ? ' (quick run: smaller data)' : ''}; medians of ${repetitions} repetition(s)\n`,
  );
}
if (values.compare) {
  const before = readRun(values.compare);
  process.stdout.write(`\nAgainst ${values.compare} (${before.ranAt}):\n`);
  // A run of some figures is compared on those only: the others are not "gone".
  const asked = before.figures.filter(
    (f) => only.length === 0 || only.some((o) => f.id.startsWith(o)) || figures.some((g) => g.id === f.id),
  );
  printTable(['figure', 'before', 'after', 'change', ''], changeRows(compare(asked, figures)));
}
if (broken) process.exitCode = 1;
