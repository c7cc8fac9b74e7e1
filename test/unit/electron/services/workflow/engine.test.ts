/**
 * The step engine on an in-memory database with the application's migrations: property tests over the shipped
 * regulations (deadlines of working-day steps, random completions by random roles) and the histogram percentiles.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../../../common/errors';
import { CHANNELS, definitionKey, DONE, stepById, type Channel, type ServiceDefinition } from '../../../../../common/regulations';
import { SPECIALTIES } from '../../../../../common/roles';
import { createWorkingCalendar, MINUTE_MS, type WorkingCalendar } from '../../../../../common/working-calendar';
import { openDatabase, type Db } from '../../../../../db/connection';
import { getRequestRow, listStepRows } from '../../../../../db/requests';
import { loadCalendarData, loadCatalog } from '../../../../../electron/services/regulations/catalog';
import { canAct, createEngine, type EngineActor, type WorkflowEngine } from '../../../../../electron/services/workflow/engine';
import { bucketOf, bucketValueMs, histogramPercentile } from '../../../../../electron/services/workflow/histogram';
import { TestClock, workingDayClock } from '../../../../helpers/clock';

const resources = join(__dirname, '../../../../../resources');
const catalog = loadCatalog(join(resources, 'regulations'));
const kz = loadCalendarData(resources);
const calendars = new Map<string, WorkingCalendar>();
const calendarFor = (tz: string) => {
  let c = calendars.get(tz);
  if (!c) calendars.set(tz, (c = createWorkingCalendar(kz, { timeZone: tz, hours: { weekdays: { open: '08:00', close: '20:00' } } })));
  return c;
};

const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

function setup(tz = 'Asia/Almaty'): { db: Db; engine: WorkflowEngine; clock: { now: number }; calendar: WorkingCalendar } {
  const { db } = openDatabase(':memory:');
  dbs.push(db);
  const clock = { now: Date.UTC(2026, 2, 2, 4, 0) };
  const calendar = calendarFor(tz);
  const engine = createEngine({
    db,
    clock: () => new Date(clock.now),
    definition: (key) => catalog.byKey(key),
    calendar: () => calendar,
    workstationPrefix: () => 'T1',
  });
  return { db, engine, clock, calendar };
}

const actor = (role: string, specialty: string | null = null): EngineActor => ({
  staffId: null,
  login: specialty ?? role,
  role,
  specialty: specialty as EngineActor['specialty'],
});

/** Everyone who could try to complete a step: every staff role, every physician specialty, the portal and the citizen. */
const ACTORS: EngineActor[] = [
  ...['registrar', 'operator', 'cashier', 'nurse', 'administrator', 'portal', 'citizen'].map((r) => actor(r)),
  ...SPECIALTIES.map((s) => actor('physician', s)),
];

const starter = (def: ServiceDefinition, channel: Channel): EngineActor => {
  if (channel === 'portal') return actor('portal');
  const first = stepById(def, def.start[channel]!)!;
  return actor(first.role, first.specialty ?? null);
};

const workingDaySteps = catalog.all
  .map((l) => l.definition)
  .flatMap((def) => def.channels.filter((c) => c !== 'portal').map((channel) => ({ def, channel })))
  .filter(
    ({ def }) =>
      def.steps.some((s) => s.maxWorkingDays !== undefined) || Object.values(def.maxTotal).some((t) => t?.maxWorkingDays !== undefined),
  );

describe('deadlines fixed by the engine', () => {
  it('a working-day step or request never falls due on a non-working day, and falls due at closing time', () => {
    expect(workingDaySteps.length).toBeGreaterThan(0);
    // Start instants over 2024–2027 (year boundaries, Nauryz, the 2024 zone change), both Kazakh zones.
    const start = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 11, 31) });
    fc.assert(
      fc.property(
        start,
        fc.constantFrom(...workingDaySteps),
        fc.constantFrom('Asia/Almaty', 'Asia/Atyrau'),
        fc.array(fc.integer({ min: 0, max: 3 * 24 * 60 }), { maxLength: 4 }),
        (t0, { def, channel }, tz, waits) => {
          const { db, engine, clock, calendar } = setup(tz);
          clock.now = t0;
          const row = engine.start(
            def,
            channel,
            def.anonymousAllowed ? { anonymous: true } : { iin: '900101300057' },
            starter(def, channel),
            { feeKzt: def.fee.kzt },
          );
          const check = (deadline: number, isWorkingDays: boolean) => {
            if (!isWorkingDays) return;
            const day = calendar.localDayOf(deadline);
            expect(calendar.isWorkingDayNumber(day)).toBe(true);
            expect(deadline).toBe(calendar.day(day).close);
          };
          check(row.deadline_ms, def.maxTotal[channel]!.maxWorkingDays !== undefined);
          // Walk the default path with random waits between steps; every step's deadline is checked as it opens.
          for (const wait of waits) {
            const open = listStepRows(db, row.id).find((s) => s.completed_ms === null);
            if (!open) break;
            check(open.deadline_ms, stepById(def, open.step_id)!.maxWorkingDays !== undefined);
            clock.now += wait * MINUTE_MS;
            engine.completeStep(row.id, open.step_id, actor(open.role, open.specialty));
          }
          db.close();
          dbs.pop();
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('random completions by random roles', () => {
  const cases = catalog.all.flatMap((l) => l.definition.channels.map((channel) => ({ def: l.definition, channel })));
  const attempt = fc.record({
    who: fc.nat({ max: ACTORS.length - 1 }),
    /** Which step to name: the current one (most often), another of the definition's, or a made-up one. */
    which: fc.oneof(
      { weight: 3, arbitrary: fc.constant('current' as const) },
      { weight: 1, arbitrary: fc.nat({ max: 20 }) },
      { weight: 1, arbitrary: fc.constant('bogus' as const) },
    ),
    /** A condition: none, one of the definition's, or one that does not exist. */
    condition: fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: fc.nat({ max: 10 }) },
      { weight: 1, arbitrary: fc.constant('no-such-condition') },
    ),
    cancel: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    minutes: fc.integer({ min: 0, max: 600 }),
  });

  it('only the named role advances a request, refusals and cancellations end it, and history is never corrupted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.array(attempt, { minLength: 1, maxLength: 25 }),
        fc.constantFrom(0, 1000),
        ({ def, channel }, attempts, fee) => {
          const { db, engine, clock } = setup();
          const feeKzt = def.steps.some((s) => s.role === 'cashier') ? fee : 0;
          const row = engine.start(
            def,
            channel,
            def.anonymousAllowed ? { anonymous: true } : { iin: '900101300057' },
            starter(def, channel),
            { feeKzt },
          );
          let closedAs: string | null = null;
          let completions = 0;
          for (const a of attempts) {
            clock.now += a.minutes * 1000;
            const before = getRequestRow(db, row.id)!;
            const steps = listStepRows(db, row.id);
            const open = steps.find((s) => s.completed_ms === null) ?? null;
            const who = ACTORS[a.who]!;
            const stepId =
              a.which === 'current'
                ? (open?.step_id ?? def.steps[0]!.id)
                : a.which === 'bogus'
                  ? 'no-such-step'
                  : def.steps[a.which % def.steps.length]!.id;
            const condition =
              a.condition === null
                ? null
                : typeof a.condition === 'string'
                  ? a.condition
                  : (def.conditions[a.condition % Math.max(1, def.conditions.length)]?.id ?? null);
            let ok = true;
            let code: string | null = null;
            try {
              if (a.cancel) engine.cancel(row.id, who, 'the applicant left');
              else engine.completeStep(row.id, stepId, who, { condition });
            } catch (e) {
              expect(e).toBeInstanceOf(ApiError);
              ok = false;
              code = (e as ApiError).code;
            }
            const after = getRequestRow(db, row.id)!;
            const afterSteps = listStepRows(db, row.id);
            if (before.status !== 'open') {
              // A closed request never changes.
              expect(ok).toBe(false);
              expect(code).toBe('request-closed');
              expect(after).toEqual(before);
              expect(afterSteps).toEqual(steps);
              continue;
            }
            if (!ok) {
              // A refused attempt leaves no trace.
              expect(after).toEqual(before);
              expect(afterSteps).toEqual(steps);
              if (!a.cancel && stepId === open!.step_id && !canAct(open!, who)) expect(code).toBe('wrong-role');
              if (!a.cancel && stepId !== open!.step_id) expect(['step-not-current', 'step-already-completed']).toContain(code);
              continue;
            }
            if (a.cancel) {
              expect(who.role === 'administrator' || canAct(open!, who)).toBe(true);
              expect(after.status).toBe('cancelled');
              closedAs = 'cancelled';
              continue;
            }
            // Success: the named role completed the current step.
            completions++;
            expect(stepId).toBe(open!.step_id);
            expect(canAct(stepById(def, stepId)!, who)).toBe(true);
            const done = afterSteps.find((s) => s.id === open!.id)!;
            expect(done.completed_login).toBe(who.login);
            const edge = stepById(def, stepId)!.next.find((e) => (condition ? e.when === condition : e.when === undefined))!;
            if (edge.refusal) {
              expect(after.status).toBe('refused');
              expect(after.outcome_code).toBe(edge.refusal.code);
              expect(done.outcome).toBe('refused');
              expect(JSON.parse(done.refusal_reason!)).toEqual(edge.refusal.reason);
              closedAs = 'refused';
            } else if (after.status === 'done') {
              closedAs = 'done';
            } else {
              expect(after.status).toBe('open');
              expect(afterSteps.length).toBe(steps.length + 1);
            }
          }
          // Invariants of the whole history.
          const final = getRequestRow(db, row.id)!;
          const history = listStepRows(db, row.id);
          expect(history.map((s) => s.seq)).toEqual(history.map((_, i) => i + 1));
          expect(history.filter((s) => s.completed_ms === null).length).toBe(final.status === 'open' ? 1 : 0);
          if (final.status === 'open') expect(final.current_step).toBe(history[history.length - 1]!.step_id);
          else expect(final.status).toBe(closedAs);
          for (const s of history.filter((x) => x.outcome === 'done' || x.outcome === 'refused')) {
            const [role, specialty] = s.completed_role!.split('/');
            expect(
              canAct({ role: s.role, specialty: s.specialty }, { role: role!, specialty: (specialty ?? null) as EngineActor['specialty'] }),
            ).toBe(true);
          }
          // The cashier step never opens when there is no fee.
          if (feeKzt === 0) expect(history.some((s) => s.role === 'cashier')).toBe(false);
          expect(history.filter((s) => s.outcome === 'done' || s.outcome === 'refused').length).toBe(completions);
          db.close();
          dbs.pop();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('every shipped service can be walked to its end along the default path by the roles it names', () => {
    for (const l of catalog.all) {
      for (const channel of l.definition.channels) {
        const { db, engine } = setup();
        const def = l.definition;
        const row = engine.start(
          def,
          channel,
          def.anonymousAllowed ? { anonymous: true } : { iin: '900101300057' },
          starter(def, channel),
          { feeKzt: def.fee.kzt },
        );
        for (let guard = 0; guard < 20; guard++) {
          const open = listStepRows(db, row.id).find((s) => s.completed_ms === null);
          if (!open) break;
          engine.completeStep(row.id, open.step_id, actor(open.role, open.specialty));
        }
        expect(getRequestRow(db, row.id)!.status, `${definitionKey(def)} ${channel}`).toBe('done');
      }
    }
    expect(CHANNELS.length).toBe(3);
    expect(DONE).toBe('done');
  });
});

describe('duration histogram', () => {
  it('a percentile read from the buckets is within 1 % of the exact nearest-rank percentile', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1000, max: 10 * 86_400_000 }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(50, 90),
        (samples, p) => {
          const counts = new Map<number, number>();
          for (const s of samples) counts.set(bucketOf(s), (counts.get(bucketOf(s)) ?? 0) + 1);
          const approx = histogramPercentile(
            [...counts].map(([bucket, n]) => ({ bucket, n })),
            p,
          )!;
          const sorted = [...samples].sort((a, b) => a - b);
          const exact = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
          // The bucket's middle is within half a bucket (1 %) of any member; the +1 s is ln(1+s)'s offset at small s.
          expect(Math.abs(approx - exact)).toBeLessThanOrEqual(exact * 0.011 + 1000);
        },
      ),
    );
    expect(histogramPercentile([], 50)).toBeNull();
    expect(histogramPercentile([{ bucket: -1, n: 5 }], 50)).toBeNull();
    expect(bucketValueMs(bucketOf(60_000)) / 60_000).toBeCloseTo(1, 1);
  });
});

describe('a request that started before it was registered (issue 15)', () => {
  function setupAt(clock: TestClock) {
    const { db } = openDatabase(':memory:');
    dbs.push(db);
    const calendar = calendarFor('Asia/Almaty');
    const engine = createEngine({
      db,
      clock: clock.read,
      definition: (key) => catalog.byKey(key),
      calendar: () => calendar,
      workstationPrefix: () => 'T1',
    });
    return { db, engine };
  }
  const astanaHomeVisit = () => catalog.all.find((l) => l.definition.region === 'astana' && l.definition.id === 'home-visit')!.definition;

  it('runs the request’s and the first step’s deadlines from the given start; refuses a start in the future, naming it', () => {
    const clock = workingDayClock('10:00');
    const { db, engine } = setupAt(clock);
    const def = astanaHomeVisit();
    const startedAtMs = clock.now.getTime() - 12 * MINUTE_MS;
    const row = engine.start(def, 'desk', { iin: '880101301237' }, actor('registrar'), { feeKzt: 0 }, { startedAtMs });
    expect(row.created_ms).toBe(startedAtMs);
    expect(row.deadline_ms).toBe(startedAtMs + 10 * MINUTE_MS);
    expect(listStepRows(db, row.id)[0]!.started_ms).toBe(startedAtMs);

    const future = () =>
      engine.start(def, 'desk', { iin: '880101301237' }, actor('registrar'), { feeKzt: 0 }, { startedAtMs: clock.now.getTime() + 1 });
    expect(future).toThrowError(ApiError);
    expect(() => future()).toThrowError(/startedAt is in the future/);
  });

  it('records a step done at a given earlier time, never before the step opened', () => {
    const clock = workingDayClock('10:00');
    const { db, engine } = setupAt(clock);
    const def = astanaHomeVisit();
    const received = clock.now.getTime();
    const row = engine.start(def, 'portal', { iin: '880101301237' }, actor('portal'), { feeKzt: 0 }, { startedAtMs: received });
    clock.advance(24 * 3_600_000);
    const first = listStepRows(db, row.id)[0]!;
    engine.completeStep(row.id, first.step_id, actor(first.role), { atMs: received - 60_000 });
    const [done, next] = listStepRows(db, row.id);
    expect(done!.completed_ms).toBe(received);
    expect(next!.started_ms).toBe(received);
    expect(getRequestRow(db, row.id)!.deadline_ms).toBeLessThan(clock.now.getTime());
  });
});
