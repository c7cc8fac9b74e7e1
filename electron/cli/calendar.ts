/**
 * `tirkeu calendar --region R --from ISO --add-working-days N`: the deadline N working days after a start, with
 * every day on the way and why it was counted or skipped, so an administrator can check the shipped calendar (and a
 * new transfer act, with `--day-off`/`--working`) against the official list before relying on it.
 *
 * The calendar itself is national (resources/calendars/kz.json); the region only chooses the time zone the start
 * and the closing time are read in (Astana: Asia/Almaty, Atyrau: Asia/Atyrau; `--tz` overrides). Hours default to
 * 08:00–20:00, the demo organization's; `--hours HH:MM-HH:MM` sets others (the deadline is that day's close).
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import {
  addWorkingDaysMs,
  createWorkingCalendar,
  dayNumberOf,
  dayNumberToIso,
  isoWeekday,
  isValidIsoDate,
  isValidTimeZone,
  toLocalIsoDate,
  type DayExplanation,
  type LocalizedName,
  type Transfer,
  type WorkingCalendar,
} from '../../common/working-calendar';
import { RegulationValidationError } from '../../common/regulations';
import { DEFAULT_TIME_ZONE, loadCalendarData, loadCatalog } from '../services/regulations/catalog';

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** Time zone of each region's organizations (Atyrau kept UTC+5 all along; Astana followed Almaty until 2024-03-01). */
export const REGION_TIME_ZONES: Readonly<Record<string, string>> = { astana: 'Asia/Almaty', atyrau: 'Asia/Atyrau' };

const USAGE = `usage: tirkeu calendar --region <code> --from <YYYY-MM-DD | ISO instant with offset> --add-working-days <N>
         [--tz <IANA zone>] [--hours HH:MM-HH:MM] [--day-off YYYY-MM-DD]... [--working YYYY-MM-DD]...
         [--lang kk|ru|en] [--json] [--resources <dir>]
  Prints the deadline (close of the N-th working day after the day the start belongs to; the day of receipt is not
  counted) and every day on the way with why it counts or is skipped. --day-off/--working try out a transfer act
  that is not in the shipped data yet.
`;

const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function defaultResourcesDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'resources');
}

class UsageError extends Error {}

interface Options {
  region?: string;
  from?: string;
  n?: string;
  tz?: string;
  hours: string;
  lang: keyof LocalizedName;
  json: boolean;
  resources?: string;
  extra: Transfer[];
}

function parse(argv: string[]): Options | 'help' {
  const o: Options = { hours: '08:00-20:00', lang: 'en', json: false, extra: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--region') o.region = value();
    else if (a === '--from') o.from = value();
    else if (a === '--add-working-days') o.n = value();
    else if (a === '--tz') o.tz = value();
    else if (a === '--hours') o.hours = value();
    else if (a === '--resources') o.resources = value();
    else if (a === '--json') o.json = true;
    else if (a === '--lang') {
      const l = value();
      if (l !== 'kk' && l !== 'ru' && l !== 'en') throw new UsageError(`--lang must be kk, ru or en, got ${l}`);
      o.lang = l;
    } else if (a === '--day-off' || a === '--working') {
      const date = value();
      if (!isValidIsoDate(date)) throw new UsageError(`${a} must be a real date YYYY-MM-DD, got ${date}`);
      o.extra.push({ date, kind: a === '--day-off' ? 'day-off' : 'working', comment: `given with ${a} on the command line` });
    } else if (a === '--help' || a === '-h') return 'help';
    else throw new UsageError(`unknown argument ${a}`);
  }
  return o;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  let o: Options | 'help';
  try {
    o = parse(argv);
    if (o === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    if (o.region === undefined) throw new UsageError('--region is required');
    if (o.from === undefined) throw new UsageError('--from is required');
    if (o.n === undefined) throw new UsageError('--add-working-days is required');
    if (!/^\d+$/.test(o.n)) throw new UsageError(`--add-working-days must be a whole number ≥ 0, got ${o.n}`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`tirkeu calendar: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  const resources = o.resources ?? defaultResourcesDir();
  let regions: string[];
  try {
    regions = loadCatalog(join(resources, 'regulations'), { timeZone: DEFAULT_TIME_ZONE }).regions();
  } catch (e) {
    if (e instanceof RegulationValidationError) {
      io.stderr.write(`tirkeu calendar: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (!regions.includes(o.region)) {
    io.stderr.write(`tirkeu calendar: --region: unknown region ${o.region} (known: ${regions.join(', ')})\n`);
    return 2;
  }
  const tz = o.tz ?? REGION_TIME_ZONES[o.region] ?? DEFAULT_TIME_ZONE;
  if (!isValidTimeZone(tz)) {
    io.stderr.write(`tirkeu calendar: --tz: unknown time zone ${tz}\n`);
    return 2;
  }
  const hm = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(o.hours);
  if (!hm) {
    io.stderr.write(`tirkeu calendar: --hours must be HH:MM-HH:MM, got ${o.hours}\n`);
    return 2;
  }
  const data = loadCalendarData(resources, 'kz');
  let cal: WorkingCalendar;
  try {
    cal = createWorkingCalendar(data, { timeZone: tz, hours: { weekdays: { open: hm[1]!, close: hm[2]! } }, extraTransfers: o.extra });
  } catch (e) {
    io.stderr.write(`tirkeu calendar: --hours: ${(e as Error).message}\n`);
    return 2;
  }

  let startMs: number;
  if (isValidIsoDate(o.from)) startMs = cal.localToInstant(dayNumberOf(o.from), 0);
  else if (/^\d{4}-\d{2}-\d{2}T[^]*(Z|[+-]\d\d:\d\d)$/.test(o.from) && !Number.isNaN(Date.parse(o.from))) startMs = Date.parse(o.from);
  else {
    io.stderr.write(`tirkeu calendar: --from must be a date YYYY-MM-DD or an ISO instant with Z or an offset, got ${o.from}\n`);
    return 2;
  }

  const n = Number(o.n);
  const deadlineMs = addWorkingDaysMs(startMs, n, cal);
  const startDay = cal.localDayOf(startMs);
  const anchor = cal.anchorDay(startMs);
  const endDay = cal.localDayOf(deadlineMs - 1);
  const days: { date: string; weekday: string; counted: number | null; note: string }[] = [];
  let count = 0;
  for (let d = startDay; d <= endDay; d++) {
    const why = cal.explainDay(d);
    let counted: number | null = null;
    let note: string;
    if (d === anchor) note = `day of receipt, not counted (${describe(why, o.lang)})`;
    else if (d < anchor)
      note = why.working ? `closed at ${hm[2]} when the start came: counts from the next working day` : `skipped: ${describe(why, o.lang)}`;
    else if (why.working) {
      counted = ++count;
      note = `working day ${count}${why.why === 'working-day' ? '' : ` (${describe(why, o.lang)})`}`;
    } else note = `skipped: ${describe(why, o.lang)}`;
    days.push({ date: dayNumberToIso(d), weekday: WEEKDAYS[isoWeekday(d)]!, counted, note });
  }
  const years = [...new Set(days.map((d) => Number(d.date.slice(0, 4))))];
  const checks = years.map((y) => {
    const rec = data.years?.find((r) => r.year === y);
    return { year: y, transfers: rec?.transfers ?? 'unverified', sources: rec?.sources ?? [], note: rec?.note };
  });
  const deadlineLocal = `${toLocalIsoDate(deadlineMs, tz)} ${hm[2]}`;

  if (o.json) {
    io.stdout.write(
      JSON.stringify(
        {
          region: o.region,
          timeZone: tz,
          from: new Date(startMs).toISOString(),
          workingDays: n,
          deadline: new Date(deadlineMs).toISOString(),
          deadlineLocal,
          days,
          dataChecks: checks,
        },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  io.stdout.write(`Calendar KZ, region ${o.region} (${tz}), hours ${hm[1]}–${hm[2]}; start ${o.from}, ${n} working day(s)\n`);
  for (const d of days) io.stdout.write(`  ${d.date} ${d.weekday}  ${d.note}\n`);
  io.stdout.write(`Deadline: ${deadlineLocal} ${tz} (${new Date(deadlineMs).toISOString()})\n`);
  for (const c of checks)
    io.stdout.write(
      `Data for ${c.year}: transfers ${c.transfers}${c.note ? ` — ${c.note}` : ''}${c.sources.length ? ` Sources: ${c.sources.join('; ')}` : ''}\n`,
    );
  return 0;
}

function describe(why: DayExplanation, lang: keyof LocalizedName): string {
  switch (why.why) {
    case 'transfer':
      return `${why.working ? 'made working' : 'day off'} by transfer${why.comment ? `: ${why.comment}` : ''}`;
    case 'holiday':
      return `holiday — ${why.name[lang]}`;
    case 'moved-day-off':
      return `day off for ${why.name ? why.name[lang] : 'a holiday'} on ${why.from} (a weekend day)`;
    case 'weekend':
      return 'weekend';
    case 'working-day':
      return 'working day';
  }
}
