/**
 * `tirkeu simulate-clinic`: one central server and N workstations of one clinic doing random work with desks
 * offline, server restarts and dropped responses, then the invariants that must all be 0
 * (electron/simulation/clinic.ts). Exit code 0 when they are, 1 when any is not.
 */
import { parseArgs } from 'node:util';
import { createWorkingCalendar, DEFAULT_HOURS } from '../../common/working-calendar';
import { countryCalendarData } from '../services/workflow/context';
import { SIM_TIME_ZONE, simulateClinic, type SimulationReport } from '../simulation/clinic';
import type { CliIo } from './io';

const USAGE = `Usage: tirkeu simulate-clinic [--desks 5] [--operations 5000] [--offline 0.3] [--database pglite|postgres]
                             [--seed N] [--restarts 3] [--drop 0.1] [--erequests N] [--postgres-url URL] [--json]

  --desks N          workstations of the clinic (default 5)
  --operations N     operations of the whole clinic, at random desks (default 5000)
  --offline P        the share of the time each desk is offline, 0–0.95 (default 0.3)
  --database D       the central server's database: pglite (a temporary folder) or postgres (a scratch database on
                     the server of --postgres-url or $DATABASE_URL, created and dropped)
  --seed N           the random generator's seed (default 1)
  --restarts N       central server restarts during the run (default 3)
  --drop P           probability that a push response is dropped after the server committed it (default 0.1)
  --erequests N      e-requests the citizens post through the portal during the run (default: one per 20 operations)
  --json             print the report as JSON (otherwise a summary)
`;

function number(name: string, raw: string | undefined, fallback: number, check: (n: number) => boolean): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) throw new RangeError(`--${name}: not a valid value: ${raw}`);
  return n;
}

/** 08:00 (the clinic's zone) on the next working day after the real date: every slot of the run is in the future. */
function nextWorkingMorning(): Date {
  const cal = createWorkingCalendar(countryCalendarData(), { timeZone: SIM_TIME_ZONE, hours: DEFAULT_HOURS });
  const day = cal.nextWorkingDay(cal.localDayOf(Date.now()));
  return new Date(cal.localToInstant(day, 8 * 60));
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      desks: { type: 'string' },
      operations: { type: 'string' },
      offline: { type: 'string' },
      database: { type: 'string' },
      seed: { type: 'string' },
      restarts: { type: 'string' },
      drop: { type: 'string' },
      erequests: { type: 'string' },
      population: { type: 'string' },
      'postgres-url': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  let options;
  try {
    const database = values.database ?? 'pglite';
    if (database !== 'pglite' && database !== 'postgres') throw new RangeError(`--database: pglite or postgres, not ${database}`);
    const whole = (n: number) => Number.isInteger(n) && n >= 0;
    options = {
      desks: number('desks', values.desks, 5, (n) => Number.isInteger(n) && n >= 1 && n <= 50),
      operations: number('operations', values.operations, 5000, whole),
      offline: number('offline', values.offline, 0.3, (n) => n >= 0 && n <= 0.95),
      seed: number('seed', values.seed, 1, whole),
      restarts: number('restarts', values.restarts, 3, whole),
      dropRate: number('drop', values.drop, 0.1, (n) => n >= 0 && n <= 0.9),
      erequests: values.erequests === undefined ? undefined : number('erequests', values.erequests, 0, whole),
      population: number('population', values.population, 100, (n) => Number.isInteger(n) && n >= 10 && n <= 100_000),
      database: database as 'pglite' | 'postgres',
      postgresUrl: values['postgres-url'] ?? (io.env.DATABASE_URL || undefined),
    };
    if (database === 'postgres' && !options.postgresUrl)
      throw new RangeError('--database postgres needs --postgres-url URL or $DATABASE_URL');
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    io.stderr.write(`tirkeu simulate-clinic: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  const report = await simulateClinic({
    ...options,
    start: nextWorkingMorning(),
    onProgress: values.json ? undefined : (done, total) => io.stderr.write(`\r${done}/${total} operations`),
  });
  if (values.json) io.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else io.stdout.write(summary(report));
  return report.ok ? 0 : 1;
}

function summary(r: SimulationReport): string {
  const inv = [
    'lostOperations',
    'duplicatedOperations',
    'doubleBookedSlots',
    'slotsNotReleased',
    'duplicateNumbers',
    'erequestsRegisteredTwice',
    'erequestsNotRegistered',
    'desksNotConverged',
  ] as const;
  const lines = [
    '',
    `${r.options.desks} desks, ${r.options.operations} operations on ${r.options.database}, seed ${r.options.seed}: ${r.ok ? 'all invariants hold' : 'INVARIANTS BROKEN'}`,
    ...inv.map((k) => `  ${k.padEnd(26)} ${r[k]}${r.details[k] ? `   e.g. ${r.details[k]!.join('; ')}` : ''}`),
    `  done: ${Object.entries(r.operations.done)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `  e-requests: ${r.erequests.posted} posted by the portal, ${r.erequests.processed} processed by the desks, ${r.erequests.takenByAnotherDesk} seen as taken by another desk, ${r.erequests.lostToAnotherDesk} registrations lost to another desk`,
    `  faults: ${r.faults.offlinePeriods} offline periods, ${r.faults.serverRestarts} server restarts, ${r.faults.droppedResponses} dropped responses, ${r.faults.syncRounds} sync rounds (${r.faults.failedSyncRounds} failed)`,
    `  timings: setup ${r.timings.setupMs} ms, operations ${r.timings.operationsMs} ms, quiescence ${r.timings.quiescenceMs} ms, checks ${r.timings.checksMs} ms`,
    ...(r.operations.errors.length ? [`  errors: ${r.operations.errors.slice(0, 5).join('; ')}`] : []),
    ...(r.notSimulated.length ? [`  not simulated: ${r.notSimulated.join(', ')}`] : []),
    '',
  ];
  return lines.join('\n');
}
