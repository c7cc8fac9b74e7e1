/**
 * `npm run bench` — the project's benchmark. Each suite measures the figures its issue names, with a naive
 * baseline beside them where one makes sense. A table for people; `--json` for a JSON array of
 * {id, value, unit, target, pass, …}; `--quick` for smaller data (smoke runs); `--only PREFIX` to pick suites.
 */
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
  dispensary: () => import('./dispensary.bench'),
  desk: () => import('./desk.bench'),
  erequests: () => import('./erequests.bench'),
};

const { values } = parseArgs({ options: { json: { type: 'boolean' }, quick: { type: 'boolean' }, only: { type: 'string' } } });
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const figures: BenchFigure[] = [];
for (const [name, load] of Object.entries(SUITES)) {
  if (values.only && !name.startsWith(values.only)) continue;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tirkeu-bench-${name}-`));
  log(`${name}…`);
  try {
    const suite = (await load()).default;
    figures.push(...(await suite({ dir, quick: !!values.quick, log: (m) => log(`${name}: ${m}`) })));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (values.json) {
  process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
} else {
  const rows = figures.map((f) => [
    f.id,
    `${f.value} ${f.unit}`,
    `${f.direction === 'min' ? '≥' : '≤'} ${f.target} ${f.unit}`,
    f.pass ? 'pass' : 'FAIL',
    f.baseline ? `${f.baseline.what}: ${f.baseline.value} ${f.unit} (×${f.baseline.ratio})` : '',
  ]);
  const head = ['figure', 'value', 'target', '', 'baseline'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
  const failed = figures.filter((f) => !f.pass).length;
  process.stdout.write(`\n${figures.length - failed} passed, ${failed} failed${values.quick ? ' (quick run: smaller data)' : ''}\n`);
}
