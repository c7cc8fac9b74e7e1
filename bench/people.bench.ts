/**
 * Issue 2's figures: a 2,000,000-person register — CSV import time, IIN look-up p99, name-prefix search p99
 * (top 20), a durable registrar write p99 (domain row + audit + outbox, synchronous=FULL), and the browser's
 * keystroke-to-rendered-results median. Baselines: a LIKE '%…%' scan, and a rollback-journal write.
 *
 * Issue 18, goal 1: the import's time against the `sqlite3` shell loading the same file natively (.import, sorted
 * insert into the same person table, the same name indexes), measured in the same run on the same file; target
 * ≤ 1.0× that time. TIRKEU_BENCH_PEOPLE sets the register size (default 2,000,000; --quick 200,000).
 */
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { makeIin } from '../common/iin';
import { appendAudit, SYSTEM_ACTOR } from '../db/audit';
import { vacuumInto } from '../db/backups';
import { enqueueOutbox } from '../db/outbox';
import { recordChange } from '../db/change';
import { openDatabase } from '../db/connection';
import { findPersonByIin, insertPerson, searchPeople } from '../db/people';
import { copyDatabaseOnThread } from '../electron/services/admin/maintenance-thread';
import { CSV_HEADER, generatePeople, personCsvLine, prng } from '../electron/services/demo-population';
import { importPopulationCsv, importSettled } from '../electron/services/population-import';
import { browserSearch } from './people.browser';
import { sqlite3Available, sqliteShellImport } from './sqlite-shell-import';
import { figure, median, percentile, type BenchContext, type BenchFigure } from './types';
import { systemClock } from '../common/clock';

export const PREFIXES = ['Қ', 'Қас', 'Нұр', 'Сер', 'Әбі', 'Ив', 'Пет', 'Се', 'Өте', 'Жұма', 'Қали', 'Оспан', 'Мұх', 'Ғаб', 'Бай'];
export const GIVEN = ['А', 'Д', 'Ер', 'Сә', 'Мө', 'Ол', 'Ай', 'Н'];

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export default async function people(ctx: BenchContext): Promise<BenchFigure[]> {
  const n = Number(process.env.TIRKEU_BENCH_PEOPLE ?? (ctx.quick ? 200_000 : 2_000_000));
  const scale = 2_000_000 / n;
  const csv = path.join(ctx.dir, 'people.csv');
  ctx.log(`writing ${n} people to CSV`);
  const out = fs.createWriteStream(csv);
  out.write(CSV_HEADER + '\n');
  const iins: string[] = [];
  let buf = '';
  for (const p of generatePeople(n, 42)) {
    buf += personCsvLine(p) + '\n';
    if (iins.length < 100_000 || Math.random() < 0.01) iins.push(p.iin);
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise<void>((r) => out.once('finish', () => r()));

  const { db } = openDatabase(path.join(ctx.dir, 'bench.sqlite'));
  ctx.log('importing');
  const t0 = performance.now();
  const report = await importPopulationCsv(db, csv, { actor: SYSTEM_ACTOR });
  const importMs = performance.now() - t0;
  if (report.imported !== n) throw new Error(`imported ${report.imported} of ${n}`);
  const figures: BenchFigure[] = [
    figure('people.import.2m_s', (importMs / 1000) * scale, 's', 60, {
      note: n !== 2_000_000 ? `measured on ${n} rows, scaled` : undefined,
    }),
  ];
  // The same file through the sqlite3 shell, right after, on the same machine (its own database file) — once the
  // import's worker has checkpointed its swap, so the shell does not share the disk and cores with it.
  await importSettled(db);
  if (sqlite3Available()) {
    ctx.log('the sqlite3 shell loading the same file');
    const shellMs = sqliteShellImport(db, csv, ctx.dir);
    figures.push(
      // The figure is itself the ratio to the shell (its time is in the note), so it has no separate baseline.
      figure('people.import.vs_sqlite3', importMs / shellMs, '×', 1, {
        note: `import ${round(importMs / 1000)} s, sqlite3 ${round(shellMs / 1000)} s on ${n} rows`,
      }),
    );
  } else ctx.log('sqlite3 is not installed: no native baseline (apt-get install sqlite3)');

  // IIN look-up: random existing IINs, in process.
  const rnd = prng(7);
  const lookups: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const iin = iins[Math.floor(rnd() * iins.length)]!;
    lookups.push(time(() => findPersonByIin(db, iin)));
  }
  const scanIin = db.prepare('SELECT * FROM person NOT INDEXED WHERE iin = ?'); // a table scan
  // .all(): a naive look-up does not know the IIN is unique, so it reads the whole table.
  const naiveIin = [0, 1, 2].map(() => time(() => scanIin.all(iins[Math.floor(rnd() * iins.length)])));
  figures.push(
    figure('people.iin_lookup.p99_ms', percentile(lookups, 99), 'ms', 1, {
      baseline: { what: 'full scan', value: round(median(naiveIin)), ratio: round(median(naiveIin) / percentile(lookups, 99)) },
    }),
  );

  // Name prefix search, top 20, as typed: surname prefix alone or with a given-name prefix.
  const searches: number[] = [];
  const queries: string[] = [];
  for (let i = 0; i < 5_000; i++) {
    const q = PREFIXES[Math.floor(rnd() * PREFIXES.length)]! + (rnd() < 0.4 ? ' ' + GIVEN[Math.floor(rnd() * GIVEN.length)]! : '');
    queries.push(q);
    searches.push(time(() => searchPeople(db, q, 20)));
  }
  const like = db.prepare("SELECT * FROM person WHERE surname LIKE '%' || ? || '%' LIMIT 20 OFFSET 100000");
  const naive = queries.slice(0, 5).map((q) => time(() => like.all(q.split(' ')[0])));
  figures.push(
    figure('people.name_search.p99_ms', percentile(searches, 99), 'ms', 15, {
      baseline: { what: "LIKE '%…%' scan", value: round(median(naive)), ratio: round(median(naive) / percentile(searches, 99)) },
    }),
  );

  // A durable registrar action: person row + audit entry + outbox operation in one transaction (one fsync),
  // synchronous=FULL, WAL — against the naive way, three separate autocommit statements (three fsyncs).
  const writes = durableWrites(db, 1000, 1, true);
  const naiveWrites = durableWrites(db, 300, 5000, false);

  // The slow parts only when asked for (`--only people.import` skips them): Chromium, the backup, the re-import.
  const browser = ctx.wants('people.browser') ? await browserSearch(ctx, db) : null;
  if (browser) figures.push(browser);
  if (ctx.wants('people.backup')) figures.push(await backupWhileDeskWorks(ctx, db));
  if (ctx.wants('people.reimport')) figures.push(...(await reimport(ctx, db, n, importMs)));
  db.close();
  figures.push(
    figure('people.durable_write.p99_ms', percentile(writes, 99), 'ms', 5, {
      baseline: {
        what: '3 autocommits, p99',
        value: round(percentile(naiveWrites, 99)),
        ratio: round(percentile(naiveWrites, 99) / percentile(writes, 99)),
      },
    }),
  );
  return figures;
}

function durableWrites(db: ReturnType<typeof openDatabase>['db'], count: number, serialBase: number, oneTransaction: boolean): number[] {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const birthDate = '1899-12-31'; // outside the generated population's years
    const iin = makeIin(birthDate, i % 2 ? 'F' : 'M', serialBase + i * 4);
    const at = systemClock();
    const person = {
      iin,
      surname: 'Бенчмарк',
      givenName: 'Тест',
      patronymic: null,
      birthDate,
      sex: (i % 2 ? 'F' : 'M') as 'F' | 'M',
      address: null,
      phone: null,
      source: 'manual' as const,
    };
    const audit = { action: 'person.created-manually', entity: 'person', entityId: iin };
    const op = { kind: 'person.manual', entity: 'person', entityId: iin, payload: person };
    samples.push(
      time(() => {
        if (oneTransaction) recordChange(db, SYSTEM_ACTOR, at, () => insertPerson(db, person, at), { audit, outbox: op });
        else {
          insertPerson(db, person, at);
          appendAudit(db, SYSTEM_ACTOR, audit, at);
          enqueueOutbox(db, op, at);
        }
      }),
    );
  }
  return samples;
}

const round = (v: number) => Math.round(v * 100) / 100;

/**
 * The daily backup of the whole database (issue 18, goal 4: work longer than a few milliseconds runs off the main
 * thread): the longest the desk's event loop is held while a copy is written on the backup's worker thread,
 * against the copy on the desk's own connection, which holds it for the whole copy (how every backup was taken
 * before, the first start of each day included).
 */
async function backupWhileDeskWorks(ctx: BenchContext, db: ReturnType<typeof openDatabase>['db']): Promise<BenchFigure> {
  ctx.log('the daily backup: on the desk thread, then on its worker thread');
  const target = (name: string) => {
    const file = path.join(ctx.dir, name);
    fs.rmSync(file, { force: true });
    return file;
  };
  const onDeskThread = time(() => vacuumInto(db, target('desk-thread.bak')));
  fs.rmSync(path.join(ctx.dir, 'desk-thread.bak'), { force: true });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const t = performance.now();
  await copyDatabaseOnThread(db.name, target('worker-thread.bak'));
  const copyMs = performance.now() - t;
  delay.disable();
  fs.rmSync(path.join(ctx.dir, 'worker-thread.bak'), { force: true });
  const blocked = delay.max / 1e6;
  return figure('people.backup.desk_blocked_ms', blocked, 'ms', 50, {
    baseline: { what: 'the copy on the desk thread', value: Math.round(onDeskThread), ratio: round(blocked / onDeskThread) },
    note: `longest event-loop delay while the worker copied the database in ${Math.round(copyMs)} ms`,
  });
}

/**
 * The monthly case: next month's register imported into the database that has this month's. A month's change is
 * taken as 1 % of the people (an assumption, not a statistic: births, deaths and moves in a city's register): the
 * same people, one in 150 at a new address, and one in 300 more (IINs the generator never gives: serials from
 * 5,001, where it stays under 300). Against the first import of this month's file; and the longest a desk write
 * could not take the write lock meanwhile, against the desk connection's busy timeout (5 s).
 */
async function reimport(ctx: BenchContext, db: ReturnType<typeof openDatabase>['db'], n: number, firstMs: number): Promise<BenchFigure[]> {
  const scale = 2_000_000 / n;
  ctx.log("writing next month's register: 1 % changed");
  const csv = path.join(ctx.dir, 'people-next-month.csv');
  const out = fs.createWriteStream(csv);
  out.write(CSV_HEADER + '\n');
  let buf = '';
  const flush = async () => {
    if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
    buf = '';
  };
  let i = 0;
  for (const p of generatePeople(n, 42)) {
    buf += personCsvLine(i++ % 150 === 0 ? { ...p, address: `Астана қ., Жаңа к-сі, ${i}-үй` } : p) + '\n';
    if (buf.length > 1 << 20) await flush();
  }
  const newcomers = Math.floor(n / 300);
  let k = 0;
  for (const p of generatePeople(newcomers, 43)) {
    buf += personCsvLine({ ...p, iin: makeIin(p.birthDate, p.sex as 'F' | 'M', 5_001 + 4 * Math.floor(k++ / 31_000)) }) + '\n';
    if (buf.length > 1 << 20) await flush();
  }
  out.end(buf);
  await new Promise<void>((r) => out.once('finish', () => r()));

  ctx.log("importing next month's register");
  const lock = writeLockProbe(db.name);
  const t = performance.now();
  const report = await importPopulationCsv(db, csv, { actor: SYSTEM_ACTOR });
  const ms = performance.now() - t;
  await importSettled(db);
  const lockedMs = lock.stop();
  if (report.imported !== n + newcomers)
    throw new Error(`imported ${report.imported} of ${n + newcomers} next month: ${JSON.stringify(report.rejected.slice(0, 3))}`);
  return [
    figure('people.reimport.2m_s', (ms / 1000) * scale, 's', 60, {
      baseline: { what: "the first import of this month's file", value: round((firstMs / 1000) * scale), ratio: round(ms / firstMs) },
      note: `${n + newcomers} rows: 0.67 % moved, 0.33 % new`,
    }),
    figure('people.reimport.write_lock_ms', lockedMs, 'ms', 5000, {
      note: 'longest time a second connection could not begin a write (tried every 5 ms), checkpoint included',
    }),
  ];
}

/** A second connection trying to begin a write every 5 ms without waiting; stop() gives the longest run of refusals. */
function writeLockProbe(file: string): { stop: () => number } {
  const { db: probe } = openDatabase(file, { migrate: false });
  probe.pragma('busy_timeout = 0');
  let refusedSince: number | null = null;
  let longest = 0;
  const attempt = () => {
    try {
      probe.exec('BEGIN IMMEDIATE');
      probe.exec('ROLLBACK');
      if (refusedSince !== null) longest = Math.max(longest, performance.now() - refusedSince);
      refusedSince = null;
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
      refusedSince ??= performance.now();
    }
  };
  const timer = setInterval(attempt, 5);
  return {
    stop: () => {
      clearInterval(timer);
      attempt();
      probe.close();
      return longest;
    },
  };
}
