/** `tirkeu simulate-clinic` as a user runs it: a real process, tiny numbers, the JSON report on stdout. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../electron/services/paths';

const BIN = path.join(PROJECT_ROOT, 'bin', 'tirkeu.mjs');
const tirkeu = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 170_000, env: { ...process.env, DATABASE_URL: '' } });

describe('tirkeu simulate-clinic', () => {
  it('runs two desks against a PGlite server and prints every invariant as 0, what it simulated and the timings', () => {
    const r = tirkeu(
      'simulate-clinic',
      '--desks',
      '2',
      '--operations',
      '40',
      '--offline',
      '0.3',
      '--seed',
      '3',
      '--population',
      '20',
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      lostOperations: 0,
      duplicatedOperations: 0,
      doubleBookedSlots: 0,
      slotsNotReleased: 0,
      duplicateNumbers: 0,
      erequestsRegisteredTwice: 0,
      erequestsNotRegistered: 0,
      desksNotConverged: 0,
      ok: true,
      notSimulated: [],
      options: { desks: 2, operations: 40, offline: 0.3, database: 'pglite', seed: 3 },
    });
    expect(report.simulated).toEqual(expect.arrayContaining(['bookings', 'e-requests']));
    for (const t of ['setupMs', 'operationsMs', 'quiescenceMs', 'checksMs', 'totalMs']) expect(report.timings[t]).toBeGreaterThanOrEqual(0);
    expect(report.timings.totalMs).toBeGreaterThan(0);
  }, 180_000);

  it('refuses a bad option with the option’s name, and postgres without a server', () => {
    const bad = tirkeu('simulate-clinic', '--offline', '2', '--json');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--offline');
    const pg = tirkeu('simulate-clinic', '--database', 'postgres', '--json');
    expect(pg.status).toBe(2);
    expect(pg.stderr).toContain('--postgres-url');
  });
});
