/**
 * `tirkeu services --json [--region R] [--at ISO]`: the services in force, as JSON, for scripts and checks.
 *
 * Without `--region` it prints every region's services (each entry names its region): there is no sensible default
 * region for a command run outside an organization's database. `--at` takes a date (`2014-08-01`) or an instant
 * (`2014-08-01T10:00:00+05:00`); an instant is turned into a local date in `--tz` (default Asia/Almaty). Without
 * `--at`, today. Output: an array of `{"id","region","title":{"kk","ru","en"},"effectiveFrom","effectiveTo",
 * "steps":[{"id","role","maxMinutes"|"maxWorkingDays"}]}` (a physician step's role reads `physician/<specialty>`).
 * A region whose acts have all been repealed by that day lists nothing, and stderr says that no act is in force
 * (this command sees the shipped acts only, not an organization's adoptions: those live in its database).
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { isValidIsoDate, isValidTimeZone, toLocalIsoDate } from '../../common/working-calendar';
import { RegulationValidationError } from '../../common/regulations';
import { DEFAULT_TIME_ZONE, loadCatalog } from '../services/regulations/catalog';
import { systemClock } from '../../common/clock';

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

const USAGE = 'usage: tirkeu services --json [--region <code>] [--at <YYYY-MM-DD | ISO instant>] [--tz <IANA zone>] [--resources <dir>]\n';

/** The resources folder next to the sources (dev) — the CLI entry may pass `--resources` for a packaged app. */
function defaultResourcesDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'resources');
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const opts: { json: boolean; region?: string; at?: string; tz: string; resources?: string } = { json: false, tz: DEFAULT_TIME_ZONE };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--json') opts.json = true;
      else if (a === '--region') opts.region = value();
      else if (a === '--at') opts.at = value();
      else if (a === '--tz') opts.tz = value();
      else if (a === '--resources') opts.resources = value();
      else if (a === '--help' || a === '-h') {
        io.stdout.write(USAGE);
        return 0;
      } else throw new UsageError(`unknown argument ${a}`);
    } catch (e) {
      if (e instanceof UsageError) {
        io.stderr.write(`tirkeu services: ${e.message}\n${USAGE}`);
        return 2;
      }
      throw e;
    }
  }
  if (!opts.json) {
    io.stderr.write(`tirkeu services: only --json output is supported\n${USAGE}`);
    return 2;
  }
  if (!isValidTimeZone(opts.tz)) {
    io.stderr.write(`tirkeu services: unknown time zone ${opts.tz}\n`);
    return 2;
  }
  let day: string;
  if (opts.at === undefined) day = toLocalIsoDate(systemClock(), opts.tz);
  else if (isValidIsoDate(opts.at)) day = opts.at;
  else {
    const t = Date.parse(opts.at);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(opts.at) || Number.isNaN(t)) {
      io.stderr.write(`tirkeu services: --at must be a date YYYY-MM-DD or an ISO instant, got ${opts.at}\n`);
      return 2;
    }
    day = toLocalIsoDate(new Date(t), opts.tz);
  }

  let catalog;
  try {
    catalog = loadCatalog(join(opts.resources ?? defaultResourcesDir(), 'regulations'), { timeZone: opts.tz });
  } catch (e) {
    if (e instanceof RegulationValidationError) {
      io.stderr.write(`tirkeu services: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const regions = opts.region !== undefined ? [opts.region] : catalog.regions();
  if (opts.region !== undefined && !catalog.regions().includes(opts.region)) {
    io.stderr.write(`tirkeu services: unknown region ${opts.region} (known: ${catalog.regions().join(', ')})\n`);
    return 2;
  }
  const out = regions.flatMap((region) =>
    catalog.inForce(region, day).map((d) => ({
      id: d.id,
      region: d.region,
      title: { kk: d.titles.kk, ru: d.titles.ru, en: d.titles.en },
      effectiveFrom: d.effectiveFrom,
      effectiveTo: d.effectiveTo,
      steps: d.steps.map((s) => ({
        id: s.id,
        role: s.specialty ? `${s.role}/${s.specialty}` : s.role,
        ...(s.maxMinutes !== undefined ? { maxMinutes: s.maxMinutes } : { maxWorkingDays: s.maxWorkingDays }),
      })),
    })),
  );
  // A region whose acts have all ended: say so (stderr, so the JSON stays a plain list), naming the last act.
  for (const region of regions) {
    if (catalog.inForce(region, day).length > 0) continue;
    const ended = catalog.all
      .map((l) => l.definition)
      .filter((d) => d.region === region && d.effectiveTo !== null && d.effectiveTo < day)
      .sort((a, b) => b.effectiveTo!.localeCompare(a.effectiveTo!))[0];
    if (!ended) continue;
    const repeal = ended.act.repealedBy ? `, repealed by No. ${ended.act.repealedBy.number} of ${ended.act.repealedBy.date}` : '';
    io.stderr.write(
      `tirkeu services: no act is in force in region ${region} on ${day}: the last, No. ${ended.act.number} of ${ended.act.date}${repeal}, ` +
        `was in force until ${ended.effectiveTo}. An organization may adopt it as its interim internal standard (Regulations screen) ` +
        `until a successor is imported.\n`,
    );
  }
  io.stdout.write(JSON.stringify(out, null, 2) + '\n');
  return 0;
}

class UsageError extends Error {}
