/**
 * What every front-desk module shares: the organization, people by IIN, names from rows, local times, and the desk
 * request every registrar action starts through the step engine (so deadlines and the quality survey work as for
 * any other service).
 *
 * Every registrar action is one recordChange transaction holding: the service request started through the step
 * engine and its desk steps completed by the registrar (the engine's own transactions nest as savepoints), the
 * domain row (journal entry), the audit entry and the outbox operation. Anything refused throws before or inside
 * that transaction, so nothing is half-saved.
 */
import { hhmm } from '../../../common/desk';
import { ApiError } from '../../../common/errors';
import type { Organization, Person } from '../../../common/schemas';
import { dayNumberToIso, MINUTE_MS, type WorkingCalendar } from '../../../common/working-calendar';
import { getOrganization } from '../../../db/organization';
import { findPersonByIin } from '../../../db/people';
import { openStepRow, type RequestRow } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { requireValidIin } from '../people';
import { catalogOf } from '../workflow/context';
import { canAct, type EngineActor } from '../workflow/engine';
import { chooseEdge, DONE, resolveStep, stepById, type ServiceDefinition } from '../../../common/regulations';
import { engineActor, engineOf, orgToday } from '../workflow/app-engine';
import { requireRegisteredPerson } from './refusals';

export function organization(app: AppContext): Organization {
  const org = getOrganization(app.db);
  if (!org) throw new ApiError('internal', 'the organization is not set up');
  return org;
}

/** A person's full name from a row that joins `person` (journal and view rows). */
export const fullName = (p: { surname: string; given_name: string; patronymic: string | null }) =>
  [p.surname, p.given_name, p.patronymic].filter(Boolean).join(' ');
/** A person's full name from the register's record. */
export const personName = (p: Person) => [p.surname, p.givenName, p.patronymic].filter(Boolean).join(' ');

export function requirePerson(app: AppContext, iin: string): Person {
  const parsed = requireValidIin(iin);
  const p = findPersonByIin(app.db, parsed.iin);
  if (!p) throw new ApiError('not-found', `no person with IIN ${parsed.iin} in the register`, { iin: parsed.iin }, ['iin']);
  return p;
}

export function isUnique(e: unknown): boolean {
  return (e as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function localIso(cal: WorkingCalendar, ms: number): { date: string; time: string } {
  const day = cal.localDayOf(ms);
  const minute = Math.round((ms + cal.offsetAt(ms) - day * 86_400_000) / MINUTE_MS);
  return { date: dayNumberToIso(day), time: hhmm(minute) };
}

/**
 * Starts the service's request for the person and completes the steps the registrar takes at the desk, inside the
 * caller's transaction. Steps of other roles (if a regulation adds any) stay open in their queues. `startedMs`: when
 * the registrar began with the person (validated by workflow/request-start.ts); the request and its first step start
 * then, and the steps done at the desk are completed now, so a slow desk shows late.
 */
export function runDeskRequest(
  app: AppContext,
  staff: StaffRow,
  serviceId: string,
  channel: 'desk' | 'phone',
  iin: string,
  startedMs?: number,
): RequestRow {
  const org = organization(app);
  const def = catalogOf(app).catalog.byId(serviceId, org.region, orgToday(app));
  if (!def)
    throw new ApiError('service-not-in-force', `no regulation of ${serviceId} is in force in ${org.region} today`, {
      service: serviceId,
      region: org.region,
    });
  // Where the regulation refuses a person missing from the population register, a hand-entered one is refused too.
  requireRegisteredPerson(app, def, channel, iin);
  const engine = engineOf(app);
  const actor = engineActor(staff);
  let row = engine.start(def, channel, { iin }, actor, { feeKzt: def.fee.kzt }, startedMs === undefined ? {} : { startedAtMs: startedMs });
  for (let i = 0; i < 64 && row.status === 'open'; i++) {
    const open = openStepRow(app.db, row.id);
    if (!open || !canAct(open, actor)) break;
    // The checks before the entry (the person identified, found in the register…) were done when the registrar
    // began; the time until the save is the last desk step's (the journal entry and the answer, 10 minutes).
    const last = startedMs === undefined || isLastDeskStep(def, open.step_id, row.fee_kzt, actor);
    row = engine.completeStep(row.id, open.step_id, actor, last ? {} : { atMs: startedMs });
  }
  return row;
}

/** Whether the desk's default edge from this step ends the request or leads to a step the registrar does not do. */
function isLastDeskStep(def: ServiceDefinition, stepId: string, feeKzt: number, actor: EngineActor): boolean {
  const step = stepById(def, stepId);
  if (!step) return true;
  const next = resolveStep(def, chooseEdge(step).to, { feeKzt });
  return next === DONE || !canAct(next, actor);
}
