/**
 * A clinic simulation anyone can run (issue 13, `tirkeu simulate-clinic`): a central server and N workstations of
 * one organization; random work at random desks through the real services (electron/simulation/operations.ts);
 * desks going offline for a while (they simply do not sync), server restarts, push responses dropped after the
 * server committed them; then every desk syncs to quiescence and the invariants are checked
 * (electron/simulation/invariants.ts, where each is defined). All must be 0.
 *
 * One clock for everything: a simulated clock that starts at the given instant and advances by a random few
 * seconds per operation; the server and every workstation read it. The operations, desks, offline periods,
 * restarts and drops are drawn from one generator seeded with `seed`; the network's timing is real, so two runs
 * with one seed do the same work but may interleave syncs differently. The citizens' e-requests come from a generator
 * of their own at steps fixed in advance, so how many arrive depends on the seed alone, not on the start date.
 */
import type { Clock } from '../../common/clock';
import type { OrgProfile } from '../../common/organization';
import { prng } from '../services/demo-population';
import { CentralServer, type SimDatabase } from './central';
import { SimDesk } from './desk';
import { checkInvariants, type InvariantDetails, type Invariants } from './invariants';
import { emptyStats, postErequest, resolveLostBookings, runRandomOperation, type OperationStats, type World } from './operations';
import { SimPortal } from './portal';

export interface SimulationOptions {
  desks: number;
  /** Operations of the whole clinic (spread over the desks at random). */
  operations: number;
  /** The share of the time each desk is offline (0–1). */
  offline: number;
  database: SimDatabase;
  /** PostgreSQL: a server URL with a user allowed to create databases (a scratch database is made and dropped). */
  postgresUrl?: string;
  /** PostgreSQL: an empty database to use as it is instead (tests). */
  databaseUrl?: string;
  seed: number;
  /** Server restarts during the run. */
  restarts?: number;
  /** Probability that a push response is dropped after the server committed the batch. */
  dropRate?: number;
  /** E-requests the portal's citizens post during the operations (default: one per 20 operations). */
  erequests?: number;
  /** People of the demo population register on each desk. */
  population?: number;
  /** Where the simulated clock starts (a working morning). */
  start: Date;
  onProgress?: (done: number, total: number) => void;
  /** Called after quiescence, before the checks: a test breaks something here to see the checks notice. */
  beforeChecks?: (central: CentralServer, desks: SimDesk[]) => Promise<void> | void;
}

export interface SimulationReport extends Invariants {
  ok: boolean;
  /** What the simulation drove. */
  simulated: string[];
  notSimulated: string[];
  options: Omit<SimulationOptions, 'onProgress' | 'beforeChecks' | 'postgresUrl' | 'databaseUrl' | 'start'> & { start: string };
  operations: OperationStats;
  /** E-requests: posted by the portal; processed (registered) by the desks, seen by a desk as taken by another, registrations lost to another desk. */
  erequests: { posted: number; processed: number; takenByAnotherDesk: number; lostToAnotherDesk: number; portalRetries: number };
  faults: { offlinePeriods: number; serverRestarts: number; droppedResponses: number; syncRounds: number; failedSyncRounds: number };
  totals: Record<string, number>;
  timings: { setupMs: number; operationsMs: number; quiescenceMs: number; checksMs: number; totalMs: number; meanSyncRoundMs: number };
  details: InvariantDetails;
}

/** The organization's zone: the simulated clock's mornings are its mornings. */
export const SIM_TIME_ZONE = 'Asia/Atyrau';

/** An Atyrau clinic: the region whose regulations include paid certificates (the cashier takes payments). */
const PROFILE: OrgProfile = {
  name: { kk: '№4 қалалық емхана', ru: 'Городская поликлиника №4', en: 'City polyclinic No. 4' },
  region: 'atyrau',
  timezone: SIM_TIME_ZONE,
  address: 'Атырау қ., Сәтпаев д-лы, 1',
};

class SimClock {
  constructor(private ms: number) {}
  readonly read: Clock = () => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

export async function simulateClinic(o: SimulationOptions): Promise<SimulationReport> {
  if (!Number.isInteger(o.desks) || o.desks < 1 || o.desks > 50) throw new Error('desks: a whole number from 1 to 50');
  if (!Number.isInteger(o.operations) || o.operations < 0) throw new Error('operations: a whole number, 0 or more');
  if (!(o.offline >= 0 && o.offline < 1)) throw new Error('offline: a share of the time, from 0 to below 1');
  const erequests = o.erequests ?? Math.round(o.operations / 20);
  if (!Number.isInteger(erequests) || erequests < 0) throw new Error('erequests: a whole number, 0 or more');
  const t0 = performance.now();
  const random = prng(o.seed);
  const clock = new SimClock(o.start.getTime());
  const restarts = o.restarts ?? 3;
  const central = new CentralServer({
    database: o.database,
    postgresUrl: o.postgresUrl,
    databaseUrl: o.databaseUrl,
    clock: clock.read,
    dropRate: o.dropRate ?? 0.1,
    random: prng(o.seed ^ 0x5eed), // its own stream: drops depend on timing, the work must not
  });
  const desks: SimDesk[] = [];
  const w: World = { random, desks, stats: emptyStats(), people: [], iins: new Set(), exceptionNotes: [], counter: 0, portal: null };
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  let offlinePeriods = 0;
  try {
    await central.start();
    for (let i = 0; i < o.desks; i++)
      desks.push(await SimDesk.open({ index: i, clock: clock.read, population: o.population ?? 100, server: central, profile: PROFILE }));
    // The portal's citizens sign with certificates of a throw-away CA; every desk's administrator trusts it.
    w.portal = await SimPortal.open({ server: central, orgBin: desks[0]!.orgBin, clock: clock.read, population: desks[0]!.registerIins });
    for (const d of desks) for (const file of w.portal.trustFiles()) await d.admin.call('erequests.addTrustFile', file);
    for (const d of desks) await syncUntilOk(d);
    const tSetup = performance.now();

    // Each desk's time is cut into periods of random length; a period is offline with probability `offline`.
    // Online, a desk syncs every few of its own operations; offline, the proxy refuses its requests.
    const n = o.desks;
    const periodEnd = desks.map(() => 0);
    const restartAt = new Set(
      Array.from({ length: restarts }, (_, i) => Math.floor(((i + 0.5 + (random() - 0.5) * 0.5) * o.operations) / restarts)),
    );
    const citizens = prng(o.seed ^ 0xc171);
    const postsAt = spreadSteps(erequests, o.operations, citizens);
    const background: Array<Promise<unknown>> = [];
    for (let step = 0; step < o.operations; step++) {
      clock.advance(int(5, 30) * 1000);
      if (restartAt.has(step)) await central.restart(); // syncs in flight meet it
      const desk = desks[Math.floor(random() * n)]!;
      await resolveLostBookings(w, desk);
      await runRandomOperation(w, desk);
      for (let k = postsAt.get(step) ?? 0; k > 0; k--) await postErequest(w, citizens);
      for (const d of desks) {
        if (step >= periodEnd[d.index]!) {
          periodEnd[d.index] = step + int(n * 5, n * 40);
          d.offlineUntil = random() < o.offline ? periodEnd[d.index]! : 0;
          if (d.offlineUntil) offlinePeriods++;
          central.setOffline(d.credential, d.offlineUntil > 0); // a round in flight breaks off
        }
        if (step < d.offlineUntil || step < d.nextSyncAt || d.syncing) continue;
        d.nextSyncAt = step + int(n, n * 4);
        background.push(d.sync().catch((e: Error) => w.stats.errors.push(`sync ${d.name}: ${e.message}`)));
      }
      // The operations are synchronous SQLite work: let the syncs in flight read and write the network between them.
      await new Promise((resolve) => setImmediate(resolve));
      if (step % 100 === 0) o.onProgress?.(step, o.operations);
    }
    await Promise.all(background);
    o.onProgress?.(o.operations, o.operations);
    const tOps = performance.now();

    // Quiescence: the portal sends what it could not, every desk pushes everything, pulls to the head and processes
    // its e-request inbox, its registrar calling back the patients of lost bookings, until a whole round changes
    // nothing; then twice more.
    for (const d of desks) central.setOffline(d.credential, false);
    await w.portal.flush();
    if (w.portal.waiting) throw new Error(`the portal could not post ${w.portal.waiting} e-request(s)`);
    const inboxMoves = () => desks.reduce((s, d) => s + d.erequests.processed + d.erequests.lost, 0);
    for (let round = 0; round < 50; round++) {
      let moved = 0;
      for (const d of desks) {
        moved += await resolveLostBookings(w, d);
        const before = inboxMoves();
        const r = await syncUntilOk(d);
        moved += r.pushed.applied + r.pushed.duplicate + r.pushed.conflict + r.pushed.rejected + r.pulled + inboxMoves() - before;
      }
      if (moved === 0) break;
    }
    for (let pass = 0; pass < 2; pass++) for (const d of desks) await syncUntilOk(d);
    const tQuiet = performance.now();

    await o.beforeChecks?.(central, desks);
    const checked = await checkInvariants(central.db, desks[0]?.orgBin ?? '', desks);
    const tChecks = performance.now();
    const rounds = desks.reduce((s, d) => s + d.syncRounds, 0);
    const invariants = checked.invariants;
    return {
      ...invariants,
      ok: Object.values(invariants).every((v) => v === 0) && w.stats.errors.length === 0,
      simulated: [
        'bookings',
        'cancellations',
        'reschedules',
        'lost-booking call-backs',
        'people entered by hand',
        'home-visit calls',
        'payments',
        'prices',
        'timetable exceptions',
        'districts',
        'e-requests',
      ],
      notSimulated: [],
      options: {
        desks: o.desks,
        operations: o.operations,
        offline: o.offline,
        database: o.database,
        seed: o.seed,
        restarts,
        dropRate: o.dropRate ?? 0.1,
        erequests,
        population: o.population ?? 100,
        start: o.start.toISOString(),
      },
      operations: w.stats,
      erequests: {
        posted: w.portal.posted,
        processed: desks.reduce((s, d) => s + d.erequests.processed, 0),
        takenByAnotherDesk: desks.reduce((s, d) => s + d.erequests.taken, 0),
        lostToAnotherDesk: desks.reduce((s, d) => s + d.erequests.lost, 0),
        portalRetries: w.portal.retried,
      },
      faults: {
        offlinePeriods,
        serverRestarts: central.restarts,
        droppedResponses: central.dropped,
        syncRounds: rounds,
        failedSyncRounds: desks.reduce((s, d) => s + d.syncFailures, 0),
      },
      totals: checked.totals,
      timings: {
        setupMs: Math.round(tSetup - t0),
        operationsMs: Math.round(tOps - tSetup),
        quiescenceMs: Math.round(tQuiet - tOps),
        checksMs: Math.round(tChecks - tQuiet),
        totalMs: Math.round(tChecks - t0),
        meanSyncRoundMs: rounds ? Math.round(desks.reduce((s, d) => s + d.syncMs, 0) / rounds) : 0,
      },
      details: checked.details,
    };
  } finally {
    await Promise.all(desks.map((d) => d.settle()));
    desks.forEach((d) => d.close());
    await central.close();
    w.portal?.close();
  }
}

/** `count` events spread evenly over `steps` steps, each moved at random within its share: how many at which step. */
function spreadSteps(count: number, steps: number, random: () => number): Map<number, number> {
  const at = new Map<number, number>();
  if (steps === 0) return at;
  for (let i = 0; i < count; i++) {
    const step = Math.min(steps - 1, Math.floor(((i + random()) * steps) / count));
    at.set(step, (at.get(step) ?? 0) + 1);
  }
  return at;
}

/** Sync rounds until one succeeds (a dropped response or a restart fails a round; the next one resends). */
async function syncUntilOk(d: SimDesk) {
  await d.settle();
  let last = '';
  for (let attempt = 0; attempt < 30; attempt++) {
    const r = await d.sync();
    if (r.ok) return r;
    last = r.error ?? r.blocked ?? '?';
  }
  throw new Error(`${d.name} could not sync: ${last}`);
}
