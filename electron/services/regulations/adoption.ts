/**
 * Interim internal standards (issue 15, point 3; common/regulation-adoption.ts): whether any act is in force for the
 * organization's region today, which repealed acts could be adopted, and the administrator's adopting and closing.
 * Every change is one recorded action (audit + outbox op `regulation.adoption`), so it reaches every desk of the
 * clinic through sync as the shared row `regulation-adoption`.
 */
import { ApiError } from '../../../common/errors';
import { ADOPTION_OP, adoptionAppliesOn, adoptionKey, adoptionNote, type Adoption } from '../../../common/regulation-adoption';
import type { ServiceDefinition } from '../../../common/regulations';
import { recordChange } from '../../../db/change';
import { listAdoptions, saveAdoption } from '../../../db/regulation-adoptions';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { engineActor, organization, orgToday } from '../workflow/app-engine';
import { catalogOf, invalidateCatalog } from '../workflow/context';

/** A repealed act of the region: what an administrator may adopt. */
export interface LapsedAct {
  number: string;
  date: string;
  issuer: { kk: string; ru: string };
  effectiveTo: string;
  repealedBy: { number: string; date: string } | null;
  services: string[];
}

export interface RegulationStanding {
  region: string;
  today: string;
  /** Services whose act is in force today by its own period. */
  inForceByAct: number;
  /** Services that apply today (in force, or by an adoption). */
  applying: number;
  /** Adoptions that make an act apply today. */
  active: Adoption[];
  /** Every adoption recorded, newest first (closed ones too: the history). */
  adoptions: Adoption[];
  /** Acts of the region that ended before today and are not adopted. */
  lapsed: LapsedAct[];
}

/** Acts of a region whose definitions have all ended before `day`, newest first. */
function endedActs(app: AppContext, region: string, day: string): LapsedAct[] {
  const acts = new Map<string, LapsedAct>();
  for (const { definition: d } of catalogOf(app).catalog.all) {
    if (d.region !== region || d.effectiveTo === null) continue;
    const act = acts.get(d.act.number) ?? {
      number: d.act.number,
      date: d.act.date,
      issuer: d.act.issuer,
      effectiveTo: d.effectiveTo,
      repealedBy: d.act.repealedBy ?? null,
      services: [],
    };
    if (d.effectiveTo > act.effectiveTo) act.effectiveTo = d.effectiveTo;
    act.services.push(d.id);
    acts.set(d.act.number, act);
  }
  return [...acts.values()].filter((a) => a.effectiveTo < day).sort((a, b) => b.effectiveTo.localeCompare(a.effectiveTo));
}

export function standing(app: AppContext): RegulationStanding {
  const region = organization(app).region;
  const today = orgToday(app);
  const { catalog } = catalogOf(app);
  const all = listAdoptions(app.db).filter((a) => a.region === region);
  const active = all.filter((a) => adoptionAppliesOn(a, today));
  const open = new Set(all.filter((a) => a.closed === null).map((a) => a.act.number));
  return {
    region,
    today,
    inForceByAct: catalog.inForceByAct(region, today).length,
    applying: catalog.inForce(region, today).length,
    active,
    adoptions: [...all].sort((a, b) => b.adoptedAt.localeCompare(a.adoptedAt)),
    lapsed: endedActs(app, region, today).filter((a) => !open.has(a.number)),
  };
}

function record(app: AppContext, staff: StaffRow, a: Adoption, action: string, share = true): Adoption {
  const now = app.clock();
  recordChange(app.db, engineActor(staff), now, () => saveAdoption(app.db, a, now), {
    audit: { action, entity: 'regulation-adoption', entityId: a.key, details: { reason: a.closed?.reason ?? a.reason } },
    outbox: share ? { kind: ADOPTION_OP, entity: 'regulation-adoption', entityId: a.key, payload: a } : undefined,
  });
  invalidateCatalog(app);
  return a;
}

const who = (staff: StaffRow) => ({ login: staff.login, fullName: staff.full_name });

/**
 * Adopts a repealed act of the organization's region as its interim internal standard (administrator). `share`
 * false keeps it on this desk (the demo data a first run seeds: it is not yet any organization's record, and an
 * outbox operation would make the desk look as if it held one).
 */
export function adopt(app: AppContext, staff: StaffRow, a: { actNumber: string; reason: string }, share = true): Adoption {
  const region = organization(app).region;
  const today = orgToday(app);
  const act = endedActs(app, region, today).find((x) => x.number === a.actNumber);
  if (!act) {
    throw new ApiError(
      'validation',
      `no act No. ${a.actNumber} of region ${region} has ended by ${today}: only a repealed act can be adopted`,
      { field: 'actNumber' },
      ['actNumber'],
    );
  }
  const key = adoptionKey(region, act.number);
  const existing = listAdoptions(app.db).find((x) => x.key === key);
  if (existing && existing.closed === null) throw new ApiError('conflict', `act No. ${act.number} is already adopted`, { key });
  const adoption: Adoption = {
    key,
    region,
    act: { number: act.number, date: act.date, issuer: act.issuer, effectiveTo: act.effectiveTo },
    adoptedAt: app.clock().toISOString(),
    adoptedBy: who(staff),
    reason: a.reason,
    closed: null,
  };
  return record(app, staff, adoption, 'regulation.adopted', share);
}

/** Closes an adoption from today (administrator): the act no longer applies from today on. */
export function closeAdoption(app: AppContext, staff: StaffRow, a: { key: string; reason: string }): Adoption {
  const existing = listAdoptions(app.db).find((x) => x.key === a.key);
  if (!existing) throw new ApiError('not-found', `no adoption ${a.key}`, { key: a.key }, ['key']);
  if (existing.closed) throw new ApiError('conflict', `the adoption ${a.key} is already closed`, { key: a.key });
  const closed = { at: app.clock().toISOString(), by: who(staff), on: orgToday(app), reason: a.reason, successorKey: null };
  return record(app, staff, { ...existing, closed }, 'regulation.adoption-closed');
}

/**
 * Imported successors close an open adoption of their region once every service of the adopted act has one, from
 * the day the last of them takes effect (the adopted act keeps applying until then). Until then each successor
 * simply wins for its own service (a definition in force always does), and the adoption covers the rest.
 */
export function closeBySuccessor(app: AppContext, staff: StaffRow, successor: ServiceDefinition, successorKey: string): Adoption[] {
  const defs = catalogOf(app).catalog.all.map((l) => l.definition);
  const closes: Adoption[] = [];
  for (const x of listAdoptions(app.db)) {
    if (x.closed !== null || x.region !== successor.region) continue;
    const services = new Set(defs.filter((d) => d.region === x.region && d.act.number === x.act.number).map((d) => d.id));
    if (!services.has(successor.id)) continue;
    let on = '';
    for (const id of services) {
      const next = defs
        .filter((d) => d.region === x.region && d.id === id && d.effectiveFrom > x.act.effectiveTo)
        .map((d) => d.effectiveFrom)
        .sort()[0];
      if (next === undefined) {
        on = '';
        break;
      }
      if (next > on) on = next;
    }
    if (!on) continue;
    const closed = { at: app.clock().toISOString(), by: who(staff), on, reason: `successor imported: ${successorKey}`, successorKey };
    closes.push(record(app, staff, { ...x, closed }, 'regulation.adoption-closed'));
  }
  return closes;
}

/**
 * The note every printout that cites `def`'s act carries when the act applies only as the organization's interim
 * internal standard on `day` (today by default), in Kazakh and Russian; null when the act is in force by itself.
 */
export function adoptionNotes(app: AppContext, def: ServiceDefinition, day: string = orgToday(app)): { kk: string; ru: string } | null {
  const a = catalogOf(app).catalog.adoptionOf(def, day);
  return a ? { kk: adoptionNote(a, 'kk'), ru: adoptionNote(a, 'ru') } : null;
}
