/**
 * `npm run bench` — the project's benchmark. Each suite measures the figures its issue names, with a naive
 * baseline beside them where one makes sense. A table for people; `--json` for a JSON array of
 * {id, value, unit, target, pass, …}; `--quick` for smaller data (smoke runs); `--only PREFIX` to pick suites.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchFigure, BenchSuite } from './types';

// Listed explicitly so a missing suite is an error, not a silent skip.
const SUITES: Record<string, () => Promise<{ default: BenchSuite }>> = {
  people: () => import('./people.bench'),
  deadlines: () => import('./deadlines.bench'),
  signing: () => import('./signing.bench'),
  workflow: () => import('./workflow.bench'),
  sync: () => import('./sync.bench'),
  'sync-clinic': () => import('./sync-clinic.bench'),
  dispensary: () => import('./dispensary.bench'),
  desk: () => import('./desk.bench'),
  erequests: () => import('./erequests.bench'),
  verification: () => import('./verification.bench'),
};

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    quick: { type: 'boolean' },
    only: { type: 'string' },
    suite: { type: 'string' },
    emit: { type: 'string' },
  },
});
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

/** One suite, in this process: the child side of the loop below. */
async function runSuite(name: string): Promise<BenchFigure[]> {
  const load = SUITES[name];
  if (!load) throw new Error(`no bench suite ${name}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tirkeu-bench-${name}-`));
  try {
    return await (await load()).default({ dir, quick: !!values.quick, log: (m) => log(`${name}: ${m}`) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (values.suite) {
  fs.writeFileSync(values.emit!, JSON.stringify(await runSuite(values.suite)));
  process.exit(0);
}

// Each suite runs in its own process: a PKCS#11 module reads its configuration once per process (two SoftHSM
// set-ups cannot share one), and one suite's memory must not weigh on the next one's figures.
const figures: BenchFigure[] = [];
let broken = 0;
for (const name of Object.keys(SUITES)) {
  if (values.only && !name.startsWith(values.only)) continue;
  log(`${name}…`);
  const out = path.join(os.tmpdir(), `tirkeu-bench-${process.pid}-${name}.json`);
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, process.argv[1]!, '--suite', name, '--emit', out, ...(values.quick ? ['--quick'] : [])],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (child.status === 0 && fs.existsSync(out)) figures.push(...(JSON.parse(fs.readFileSync(out, 'utf8')) as BenchFigure[]));
  else {
    broken++;
    log(`${name} failed (exit ${child.status ?? child.signal})`);
  }
  fs.rmSync(out, { force: true });
}

const round = (v: number) => (Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 1000) / 1000);

if (values.json) {
  process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
} else {
  const rows = figures.map((f) => [
    f.id,
    `${f.value} ${f.unit}`,
    `${f.direction === 'min' ? '≥' : '≤'} ${f.target} ${f.unit}`,
    f.pass ? 'pass' : 'FAIL',
    f.baseline ? `${f.baseline.what}: ${round(f.baseline.value)} ${f.unit} (×${round(f.baseline.ratio)})` : '',
  ]);
  const head = ['figure', 'value', 'target', '', 'baseline'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
  const failed = figures.filter((f) => !f.pass).length;
  process.stdout.write(
    `\n${figures.length - failed} passed, ${failed} failed${broken ? `, ${broken} suite(s) broken` : ''}${values.quick ? ' (quick run: smaller data)' : ''}\n`,
  );
}
if (broken) process.exitCode = 1;
