/**
 * The step engine bound to one application: its database, clock, regulation catalogue, working calendar and
 * organization. Every workflow method, and the desk, dispensary and e-request services that complete steps, reach
 * the engine through `engineOf` and name the acting staff member with `engineActor`.
 */
import { ApiError } from '../../../common/errors';
import { toLocalIsoDate } from '../../../common/working-calendar';
import type { Organization } from '../../../common/schemas';
import { getOrganization } from '../../../db/organization';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { calendarOf, catalogOf } from './context';
import { createEngine, type EngineActor, type WorkflowEngine } from './engine';

export function engineActor(staff: StaffRow): EngineActor {
  return { staffId: staff.id, login: staff.login, role: staff.role, specialty: staff.specialty };
}

/** The organization this workstation serves; set up at enrolment, so its absence is an internal error. */
export function organization(app: AppContext): Organization {
  const org = getOrganization(app.db);
  if (!org) throw new ApiError('internal', 'the organization is not set up');
  return org;
}

/** The engine bound to this application's database, catalogue and calendar. */
export function engineOf(app: AppContext): WorkflowEngine {
  return createEngine({
    db: app.db,
    clock: app.clock,
    definition: (key) => catalogOf(app).catalog.byKey(key),
    calendar: () => calendarOf(app),
    workstationPrefix: () => organization(app).workstationPrefix,
  });
}

/** Today's local date in the organization's zone. */
export function orgToday(app: AppContext): string {
  return toLocalIsoDate(app.clock(), organization(app).timezone);
}
