/**
 * How the workflow names what it shows: a title when the definition is gone (the id itself), a step's duration
 * limit in the contract's shape, and the definition whose titles stand for a service in reports (the version in
 * force in the organization's region today, else the newest known).
 */
import { isInForceOn, stepById, type ServiceDefinition } from '../../../common/regulations';
import type { Duration } from '../../../common/working-calendar';
import type { Localized } from '../../../common/workflow';
import type { AppContext } from '../app';
import { organization, orgToday } from './app-engine';
import { catalogOf } from './context';

export const fallbackTitle = (id: string): Localized => ({ kk: id, ru: id, en: id });

export type DurationLimit = { maxMinutes?: number; maxWorkingDays?: number; byEndOfWorkingDay?: boolean };

export function limitOf(d: Duration | undefined): DurationLimit {
  if (!d) return {};
  if ('maxMinutes' in d) return { maxMinutes: d.maxMinutes };
  if ('maxWorkingDays' in d) return { maxWorkingDays: d.maxWorkingDays };
  return { byEndOfWorkingDay: true };
}

export function stepTitle(def: ServiceDefinition | undefined, stepId: string): Localized {
  return (def && stepById(def, stepId)?.title) || fallbackTitle(stepId);
}

/** The version used for titles: the one in force in the organization's region today, else the newest known. */
export function titleDefinitions(app: AppContext): Map<string, ServiceDefinition[]> {
  const org = organization(app);
  const today = orgToday(app);
  const byService = new Map<string, ServiceDefinition[]>();
  const rank = (d: ServiceDefinition) => (d.region === org.region ? 2 : 0) + (isInForceOn(d, today) ? 1 : 0);
  for (const l of catalogOf(app).catalog.all) {
    const list = byService.get(l.definition.id) ?? [];
    list.push(l.definition);
    byService.set(l.definition.id, list);
  }
  for (const list of byService.values()) list.sort((a, b) => rank(b) - rank(a) || b.effectiveFrom.localeCompare(a.effectiveFrom));
  return byService;
}
