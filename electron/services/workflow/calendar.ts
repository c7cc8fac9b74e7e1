/**
 * The organization's working calendar (`calendar.*`): its hours and extra transfers on top of the country's
 * calendar, and the days off ahead. Every deadline is computed on it, so a change is validated by building it.
 */
import { ApiError } from '../../../common/errors';
import { dayNumberToIso } from '../../../common/working-calendar';
import { calendarSettingsSchema, type CalendarSettings } from '../../../common/workflow';
import { recordChange } from '../../../db/change';
import { setSetting } from '../../../db/settings';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { engineActor, organization } from './app-engine';
import { buildCalendar, CALENDAR_SETTING, calendarOf, calendarSettings, invalidateCalendar } from './context';

export function getCalendar(app: AppContext): { settings: CalendarSettings; timeZone: string; daysOff: string[] } {
  const cal = calendarOf(app);
  const today = cal.localDayOf(app.clock().getTime());
  const daysOff: string[] = [];
  for (let d = today; d < today + 62; d++) if (!cal.isWorkingDayNumber(d)) daysOff.push(dayNumberToIso(d));
  return { settings: calendarSettings(app.db), timeZone: cal.timeZone, daysOff };
}

export function setCalendar(app: AppContext, staff: StaffRow, input: CalendarSettings): ReturnType<typeof getCalendar> {
  const settings = calendarSettingsSchema.parse(input);
  const dates = new Set<string>();
  settings.extraTransfers.forEach((t, i) => {
    if (dates.has(t.date))
      throw new ApiError('validation', `the date ${t.date} is listed twice`, { date: t.date }, [`extraTransfers.${i}.date`]);
    dates.add(t.date);
  });
  try {
    buildCalendar(organization(app).timezone, settings);
  } catch (e) {
    if (e instanceof RangeError) {
      const field = /^hours\.\w+/.exec(e.message)?.[0] ?? 'hours';
      throw new ApiError('validation', e.message, {}, [field]);
    }
    throw e;
  }
  const now = app.clock();
  recordChange(app.db, engineActor(staff), now, () => setSetting(app.db, CALENDAR_SETTING, settings), {
    audit: {
      action: 'calendar.changed',
      entity: 'setting',
      entityId: CALENDAR_SETTING,
      details: settings as unknown as Record<string, unknown>,
    },
    outbox: { kind: 'org.calendar', entity: 'setting', entityId: CALENDAR_SETTING, payload: settings },
  });
  invalidateCalendar(app);
  return getCalendar(app);
}
