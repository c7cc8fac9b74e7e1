// Runs the date-sensitive suites as if today were another day: the whole test process (and every process it
// starts: OpenSSL, PostgreSQL, the server) runs under libfaketime, shifted by a fixed offset from the real clock.
// Tests take "now" from one test clock (test/helpers/clock.ts), so a suite that passes today must pass on a
// weekend, a holiday, the last day of a month, across New Year's midnight in Astana and two years ahead.
//
//   npm run test:dates                      every date below
//   npm run test:dates -- --date 2027-03-22T04:00:00Z [--date …]
//   npm run test:dates -- --ci              one date of the list, chosen by today's day of the year (CI)
//   npm run test:dates -- --suites test/integration/erequests
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

// Instants are UTC; Astana is UTC+5.
export const DATES = [
  { at: '2027-03-06T05:00:00Z', what: 'a Saturday' },
  { at: '2027-03-22T04:00:00Z', what: 'Nauryz, a public holiday (Monday 22 March)' },
  { at: '2027-04-30T12:00:00Z', what: 'the last day of a month' },
  { at: '2026-12-31T18:55:00Z', what: '31 December, five minutes before midnight in Astana' },
  { at: '2028-11-30T06:00:00Z', what: 'two years ahead' },
];

export const DATE_SENSITIVE_SUITES = [
  'test/unit/pki',
  'test/unit/common/working-calendar.test.ts',
  'test/unit/electron/services/workflow',
  'test/integration/pki',
  'test/integration/signing',
  'test/integration/erequests',
  'test/integration/sync',
  'test/integration/server',
  'test/integration/workflow',
  'test/integration/desk',
  'test/integration/dispensary',
  // Sessions end 12 hours after log-in, secrets and the leak test's requests carry dates.
  'test/integration/services',
  // The same in the browser (Chromium runs under libfaketime too): the inbox, the desk's screens, signing, deadlines.
  'test/e2e/erequests.test.ts',
  'test/e2e/desk-appointments.test.ts',
  'test/e2e/desk-home-visit.test.ts',
  'test/e2e/desk-attachment.test.ts',
  'test/e2e/tb-certificate.test.ts',
  'test/e2e/workflow.test.ts',
  'test/e2e/clinic.test.ts',
];

const { values } = parseArgs({
  options: { date: { type: 'string', multiple: true }, suites: { type: 'string', multiple: true }, ci: { type: 'boolean' } },
});

function dayOfYear(d) {
  return Math.floor((d - Date.UTC(d.getUTCFullYear(), 0, 0)) / 86_400_000);
}

const chosen = values.date?.map((at) => ({ at, what: 'given' })) ?? (values.ci ? [DATES[dayOfYear(new Date()) % DATES.length]] : DATES);
const suites = values.suites ?? DATE_SENSITIVE_SUITES;

const which = spawnSync('sh', ['-c', 'command -v faketime'], { stdio: 'ignore' });
if (which.status !== 0) {
  console.error('test:dates needs libfaketime: apt-get install faketime');
  process.exit(1);
}

const failed = [];
for (const d of chosen) {
  const target = Date.parse(d.at);
  if (Number.isNaN(target)) {
    console.error(`not an ISO instant: ${d.at}`);
    process.exit(2);
  }
  // A relative offset does not depend on the machine's time zone; the clock keeps running from there.
  const offset = Math.round((target - Date.now()) / 1000);
  const spec = `${offset >= 0 ? '+' : ''}${offset}s`;
  console.log(`\n=== ${d.at} (${d.what}): faketime -f ${spec} vitest run ${suites.join(' ')}`);
  const r = spawnSync('faketime', ['-f', spec, 'npx', 'vitest', 'run', ...suites], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(d);
}
if (failed.length > 0) {
  console.error(`\nFailed at: ${failed.map((d) => `${d.at} (${d.what})`).join(', ')}`);
  process.exit(1);
}
console.log(`\nThe date-sensitive suites pass at ${chosen.length} date(s).`);
