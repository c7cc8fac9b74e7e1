/**
 * Motivated refusals at the desk (issue 15, point 4): Astana cl. 13(4)–(5) — the person is not in the population
 * register (ЖТ МДБ), process 4 "the message that no data can be obtained" (table 2, action 4) — and cl. 13(8)–(9) —
 * the request does not meet the grounds, process 7. The grounds are the regulation's own refusal edges on the
 * service's desk path (data, never a list here): a refusal walks the request along that path, through the step
 * engine, to the refusal edge, so it is recorded, timed and counted like any other outcome; its printout (kk and
 * ru) is for the citizen to take away.
 *
 * Where a service's desk path has the "person not in the register" refusal, the person must be in the register:
 * a person entered by hand cannot be served by that service (`requireRegisteredPerson`); the desk records the
 * refusal instead. Where the regulation has no such condition (the Atyrau desk services), manual entry stays.
 */
import { ApiError } from '../../../common/errors';
import { DONE, type Channel, type ServiceDefinition, type StepDefinition, type StepEdge } from '../../../common/regulations';
import { recordChange } from '../../../db/change';
import { DESK_JOURNALS, type DeskJournal } from '../../../db/desk/journals';
import { insertDeskRefusal } from '../../../db/desk/refusals';
import { findPersonByIin } from '../../../db/people';
import { openStepRow, type RequestRow } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { requireValidIin } from '../people';
import { engineActor, engineOf, orgToday } from '../workflow/app-engine';
import { catalogOf } from '../workflow/context';
import { organization } from './common';

/** The refusal code of the "person is not in the population register" condition (Astana cl. 13(4)–(5)). */
export const NOT_IN_REGISTER = 'person-not-found';

export interface RefusalGround {
  code: string;
  reason: { kk: string; ru: string; en: string };
}

interface GroundPath {
  ground: RefusalGround;
  /** Steps to complete, each with the condition that selects the edge taken (null: the default edge). */
  path: Array<{ stepId: string; condition: string | null }>;
}

/** Every refusal edge reachable on a channel's path from its first step, with the way there (breadth first). */
function groundPaths(def: ServiceDefinition, channel: Channel): GroundPath[] {
  const start = def.start[channel];
  if (!start) return [];
  const byId = new Map(def.steps.map((s) => [s.id, s]));
  const out = new Map<string, GroundPath>();
  const seen = new Set<string>([start]);
  const queue: Array<{ step: StepDefinition; path: GroundPath['path'] }> = [];
  const first = byId.get(start);
  if (first) queue.push({ step: first, path: [] });
  while (queue.length) {
    const { step, path } = queue.shift()!;
    step.next.forEach((e: StepEdge) => {
      const here = [...path, { stepId: step.id, condition: e.when ?? null }];
      if (e.refusal && !out.has(e.refusal.code))
        out.set(e.refusal.code, { ground: { code: e.refusal.code, reason: e.refusal.reason }, path: here });
      if (e.to === DONE || seen.has(e.to)) return;
      const next = byId.get(e.to);
      if (!next) return;
      seen.add(e.to);
      queue.push({ step: next, path: here });
    });
  }
  return [...out.values()];
}

/** The desk service (home visit, appointment, attachment) that applies today, or a clear refusal. */
function deskService(app: AppContext, serviceId: string): ServiceDefinition {
  const org = organization(app);
  const def = catalogOf(app).catalog.byId(serviceId, org.region, orgToday(app));
  if (!def)
    throw new ApiError('service-not-in-force', `no regulation of ${serviceId} is in force in ${org.region} today`, {
      service: serviceId,
      region: org.region,
    });
  if (!DESK_JOURNALS.includes(def.journal as DeskJournal))
    throw new ApiError('validation', `${serviceId} is not a front-desk service`, { field: 'serviceId' }, ['serviceId']);
  return def;
}

/** The motivated refusals the regulation allows at the desk for a service, and whether manual entry may replace the register. */
export function refusalGrounds(
  app: AppContext,
  serviceId: string,
  channel: 'desk' | 'phone',
): { grounds: RefusalGround[]; manualEntryAllowed: boolean } {
  const paths = groundPaths(deskService(app, serviceId), channel);
  return { grounds: paths.map((p) => p.ground), manualEntryAllowed: !paths.some((p) => p.ground.code === NOT_IN_REGISTER) };
}

/**
 * Refuses to serve a person entered by hand where the service's regulation checks the population register and
 * refuses when the person is not there: manual entry must not bypass that refusal.
 */
export function requireRegisteredPerson(app: AppContext, def: ServiceDefinition, channel: Channel, iin: string): void {
  const person = findPersonByIin(app.db, iin);
  if (person?.source !== 'manual') return;
  if (!groundPaths(def, channel).some((p) => p.ground.code === NOT_IN_REGISTER)) return;
  throw new ApiError(
    'person-not-in-register',
    `${def.id}: the regulation requires the person in the population register; ${iin} was entered by hand — record a motivated refusal instead`,
    { iin, service: def.id },
    ['iin'],
  );
}

/**
 * Records a motivated refusal at the desk: the request is started and walked by the registrar along the desk path
 * to the regulation's refusal edge (one transaction with the refusal row, the audit entry and the outbox op).
 */
export function recordRefusal(
  app: AppContext,
  staff: StaffRow,
  a: { serviceId: string; channel: 'desk' | 'phone'; iin: string; personName?: string | null; ground: string; note?: string | null },
): RequestRow {
  const def = deskService(app, a.serviceId);
  const iin = requireValidIin(a.iin).iin;
  const target = groundPaths(def, a.channel).find((p) => p.ground.code === a.ground);
  if (!target)
    throw new ApiError('validation', `${def.id} has no motivated refusal "${a.ground}" at the ${a.channel}`, { field: 'ground' }, [
      'ground',
    ]);
  // "Not in the register" is refused only for someone who is not there; anyone else is a different ground.
  const inRegister = findPersonByIin(app.db, iin);
  if (a.ground === NOT_IN_REGISTER && inRegister && inRegister.source !== 'manual')
    throw new ApiError('validation', `${iin} is in the population register: the ground "${a.ground}" does not apply`, { field: 'ground' }, [
      'ground',
    ]);
  const engine = engineOf(app);
  const actor = engineActor(staff);
  const now = app.clock();
  return recordChange(
    app.db,
    actor,
    now,
    () => {
      let row = engine.start(def, a.channel, { iin }, actor, { feeKzt: def.fee.kzt });
      for (const { stepId, condition } of target.path) {
        const open = openStepRow(app.db, row.id);
        if (row.status !== 'open' || open?.step_id !== stepId) break;
        row = engine.completeStep(row.id, stepId, actor, { condition, note: a.note ?? null });
      }
      if (row.status !== 'refused') throw new ApiError('internal', `the refusal ${a.ground} did not end request ${row.number}`);
      insertDeskRefusal(app.db, {
        request_id: row.id,
        ground: a.ground,
        person_name: inRegister ? null : a.personName?.trim() || null,
        note: a.note?.trim() || null,
        created_at: now.toISOString(),
        created_by: staff.id,
      });
      return row;
    },
    {
      audit: (row) => ({
        action: 'desk.refused',
        entity: 'service_request',
        entityId: row.number,
        details: { ground: a.ground, service: def.id },
      }),
    },
  );
}
