/**
 * The organization screen (issue 13): the administrator sees and edits the organization's profile — names, region,
 * time zone, address — and sees the clinic's workstations. An edit is this desk's at once and every other desk's at
 * its next pull (an `org.profile` operation the server applies and hands down); the BIN and this desk's code come
 * from enrollment and are not edited here.
 */
import { ApiError } from '../../common/errors';
import type { OrgProfile } from '../../common/organization';
import type { Organization } from '../../common/schemas';
import { recordChange } from '../../db/change';
import { getOrganization, saveOrganization } from '../../db/organization';
import { deleteAllRegisterEntries } from '../../db/dispensary';
import { getSetting, setSetting } from '../../db/settings';
import { getEnrollment, listReference, resetCursor } from '../../db/sync';
import type { StaffRow } from '../../db/staff';
import type { AppContext } from './app';
import { actorOf } from './auth';
import { catalogOf, invalidateCalendar, invalidateCatalog } from './workflow/context';

export function organizationOf(app: AppContext): Organization {
  const org = getOrganization(app.db);
  if (!org) throw new ApiError('internal', 'the organization is not set up');
  return org;
}

function checkTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ApiError('validation', `timezone: ${tz} is not a time zone`, {}, ['timezone']);
  }
}

export function updateProfile(app: AppContext, admin: StaffRow, profile: OrgProfile): Organization {
  const regions = catalogOf(app).catalog.regions();
  if (!regions.includes(profile.region)) throw new ApiError('validation', `region: ${profile.region} has no regulations`, {}, ['region']);
  checkTimeZone(profile.timezone);
  const before = organizationOf(app);
  const now = app.clock();
  recordChange(app.db, actorOf(admin), now, () => saveOrganization(app.db, { ...before, ...profile }), {
    audit: {
      action: 'organization.changed',
      entity: 'organization',
      entityId: before.bin,
      details: { region: profile.region, timezone: profile.timezone },
    },
    outbox: { kind: 'org.profile', entity: 'organization', entityId: before.bin, payload: profile },
  });
  invalidateCalendar(app);
  invalidateCatalog(app);
  return organizationOf(app);
}

const REGISTERS_SETTING = 'sync.registers';

export function registersHere(app: AppContext): { enabled: boolean; enrolled: boolean } {
  return { enabled: getSetting<boolean>(app.db, REGISTERS_SETTING) === true, enrolled: !!getEnrollment(app.db) };
}

/**
 * Whether this desk checks the dispensary registers (an operator's or a dispensary physician's desk). Only such
 * desks are sent the register entries imported elsewhere in the clinic; turning it off deletes them here.
 */
export function setRegistersHere(app: AppContext, admin: StaffRow, enabled: boolean): { enabled: boolean; enrolled: boolean } {
  if (!getEnrollment(app.db))
    throw new ApiError('validation', 'enabled: only a desk enrolled with the central server receives the registers', {}, ['enabled']);
  const now = app.clock();
  recordChange(
    app.db,
    actorOf(admin),
    now,
    () => {
      setSetting(app.db, REGISTERS_SETTING, enabled);
      // On: the next pull starts from the current state, which brings the entries imported so far.
      if (enabled) resetCursor(app.db);
      else deleteAllRegisterEntries(app.db);
    },
    {
      audit: {
        action: enabled ? 'registers.receive-on' : 'registers.receive-off',
        entity: 'workstation',
        entityId: getEnrollment(app.db)!.workstationId,
      },
      outbox: {
        kind: 'workstation.registers',
        entity: 'workstation',
        entityId: getEnrollment(app.db)!.workstationId,
        payload: { enabled },
      },
    },
  );
  return registersHere(app);
}

export interface ClinicWorkstation {
  id: string;
  code: string;
  name: string;
  enrolledAt: string | null;
  thisDesk: boolean;
}

/** The clinic's workstations as the server announced them; this desk first. */
export function workstations(app: AppContext): ClinicWorkstation[] {
  const own = getEnrollment(app.db)?.workstationId ?? null;
  return listReference(app.db, 'workstation')
    .map((r) => {
      const p = r as { id?: string; code?: string; name?: string; enrolledAt?: string };
      return {
        id: String(p.id ?? ''),
        code: String(p.code ?? ''),
        name: String(p.name ?? ''),
        enrolledAt: p.enrolledAt ?? null,
        thisDesk: p.id === own,
      };
    })
    .sort((a, b) => Number(b.thisDesk) - Number(a.thisDesk) || a.code.localeCompare(b.code, 'en', { numeric: true }));
}
