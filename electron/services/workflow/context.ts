/**
 * What the workflow needs from the application, built once per application context and rebuilt only when the
 * administrator changes it: the regulation catalogue (shipped files + files imported into the database) and the
 * organization's working calendar (the country's calendar + the organization's hours and transfers, in its zone).
 *
 * Successor rule: a definition may be open-ended (`effectiveTo: null`; the shipped ones are not: their acts were
 * repealed, and an organization that keeps working by them adopts them, see common/regulation-adoption.ts). When a later version of the same service in the same region is present, an open-ended
 * earlier version ends the day before the later one takes effect. Explicit periods are never changed: if they
 * overlap, the set is refused (see common/regulations.ts checkOverlaps).
 */
import { definitionKey, RegulationValidationError, serviceDefinitionSchema, type DefinitionFile } from '../../../common/regulations';
import { ApiError } from '../../../common/errors';
import {
  createWorkingCalendar,
  dayNumberOf,
  dayNumberToIso,
  type CalendarData,
  type WorkingCalendar,
} from '../../../common/working-calendar';
import { DEFAULT_CALENDAR_SETTINGS, calendarSettingsSchema, type CalendarSettings } from '../../../common/workflow';
import type { Db } from '../../../db/connection';
import { getOrganization } from '../../../db/organization';
import { listRegulationFiles } from '../../../db/requests';
import { listAdoptions } from '../../../db/regulation-adoptions';
import { getSetting } from '../../../db/settings';
import type { AppContext } from '../app';
import { RESOURCES_DIR } from '../paths';
import { createCatalog, loadCalendarData, readDefinitionFiles, type Catalog } from '../regulations/catalog';
import { join } from 'node:path';
import { CALENDAR_SETTING } from '../../../db/shared-state';

export { CALENDAR_SETTING };
/** Imported files are named under this folder in messages, so they never collide with shipped ones. */
export const IMPORTED_PREFIX = 'imported/';

let shippedFiles: DefinitionFile[] | null = null;
let countryCalendar: CalendarData | null = null;

/** The definition files shipped in resources/regulations (read once per process). */
export function shippedDefinitionFiles(): DefinitionFile[] {
  shippedFiles ??= readDefinitionFiles(join(RESOURCES_DIR, 'regulations'));
  return shippedFiles;
}

export function countryCalendarData(): CalendarData {
  countryCalendar ??= loadCalendarData(RESOURCES_DIR, 'kz');
  return countryCalendar;
}

export interface CatalogBuild {
  catalog: Catalog;
  /** Keys of open-ended versions closed by a successor (their effectiveTo is derived). */
  closedBySuccessor: Set<string>;
}

/** Applies the successor rule (see the header) to a set of files; files that do not parse are left as they are. */
export function closeOpenEndedPredecessors(files: readonly DefinitionFile[]): { files: DefinitionFile[]; closed: Set<string> } {
  const parsed = files.map((f) => {
    const r = serviceDefinitionSchema.safeParse(f.data);
    return r.success ? r.data : null;
  });
  const starts = new Map<string, string[]>();
  for (const d of parsed) {
    if (!d) continue;
    const group = `${d.region}/${d.id}`;
    starts.set(group, [...(starts.get(group) ?? []), d.effectiveFrom]);
  }
  const closed = new Set<string>();
  const out = files.map((f, i) => {
    const d = parsed[i];
    if (!d || d.effectiveTo !== null) return f;
    const later = (starts.get(`${d.region}/${d.id}`) ?? []).filter((s) => s > d.effectiveFrom).sort()[0];
    if (later === undefined) return f;
    closed.add(definitionKey(d));
    return { file: f.file, data: { ...(f.data as object), effectiveTo: dayNumberToIso(dayNumberOf(later) - 1) } };
  });
  return { files: out, closed };
}

/** Builds the catalogue from the shipped files, the database's imports and optionally one more file (an import being checked). */
export function buildCatalog(db: Db, extra: DefinitionFile[] = [], timeZone?: string): CatalogBuild {
  const imported = listRegulationFiles(db).map((r) => ({ file: r.file, data: JSON.parse(r.content) as unknown }));
  const { files, closed } = closeOpenEndedPredecessors([...shippedDefinitionFiles(), ...imported, ...extra]);
  const tz = timeZone ?? getOrganization(db)?.timezone;
  return { catalog: createCatalog(files, { ...(tz ? { timeZone: tz } : {}), adoptions: listAdoptions(db) }), closedBySuccessor: closed };
}

export function calendarSettings(db: Db): CalendarSettings {
  const raw = getSetting<unknown>(db, CALENDAR_SETTING);
  const parsed = calendarSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : DEFAULT_CALENDAR_SETTINGS;
}

/** The organization's calendar; throws RangeError naming the option when the hours or the zone are wrong. */
export function buildCalendar(timeZone: string, settings: CalendarSettings): WorkingCalendar {
  return createWorkingCalendar(countryCalendarData(), {
    timeZone,
    hours: settings.hours,
    extraTransfers: settings.extraTransfers,
  });
}

interface State {
  catalog: CatalogBuild | null;
  calendar: { tz: string; calendar: WorkingCalendar } | null;
}

const states = new WeakMap<Db, State>();

function state(db: Db): State {
  let st = states.get(db);
  if (!st) {
    st = { catalog: null, calendar: null };
    states.set(db, st);
  }
  return st;
}

/** The catalogue in use (cached; `invalidateCatalog` after an import). */
export function catalogOf(app: Pick<AppContext, 'db'>): CatalogBuild {
  const st = state(app.db);
  if (!st.catalog) {
    try {
      st.catalog = buildCatalog(app.db);
    } catch (e) {
      if (e instanceof RegulationValidationError) {
        throw new ApiError('regulation-invalid', e.message, { issues: e.issues.length, first: e.message.split('\n')[1] ?? '' });
      }
      throw e;
    }
  }
  return st.catalog;
}

export function invalidateCatalog(app: Pick<AppContext, 'db'>): void {
  state(app.db).catalog = null;
}

/** The organization's working calendar (cached; rebuilt when the settings or the organization's zone change). */
export function calendarOf(app: Pick<AppContext, 'db'>): WorkingCalendar {
  const st = state(app.db);
  const tz = getOrganization(app.db)?.timezone ?? 'Asia/Almaty';
  if (!st.calendar || st.calendar.tz !== tz) st.calendar = { tz, calendar: buildCalendar(tz, calendarSettings(app.db)) };
  return st.calendar.calendar;
}

export function invalidateCalendar(app: Pick<AppContext, 'db'>): void {
  state(app.db).calendar = null;
}

/** Drops every cache of a database (tests that change the organization or the imports directly). */
export function resetWorkflowCaches(app: Pick<AppContext, 'db'>): void {
  states.delete(app.db);
}
