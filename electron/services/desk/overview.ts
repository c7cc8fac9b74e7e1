/** `desk.overview`: what the desk screens load at once when they open. */
import { DESK_SERVICES } from '../../../common/desk';
import type { AppContext } from '../app';
import { calendarOf, catalogOf } from '../workflow/context';
import { orgToday } from '../workflow/app-engine';
import { localIso, organization } from './common';
import { listDistricts } from './districts';
import { listDoctorViews } from './doctors';

/** What the desk screens need at once: today, the districts, the doctors, the attachment documents checklist. */
export function overview(app: AppContext) {
  const org = organization(app);
  const today = orgToday(app);
  const def = catalogOf(app).catalog.byId(DESK_SERVICES.attachment, org.region, today);
  const services = Object.values(DESK_SERVICES).map((id) => {
    const d = catalogOf(app).catalog.byId(id, org.region, today);
    return { id, inForce: !!d, title: d?.titles ?? { kk: id, ru: id, en: id }, channels: d?.channels.filter((c) => c !== 'portal') ?? [] };
  });
  const cal = calendarOf(app);
  const now = app.clock().getTime();
  return {
    today,
    now: localIso(cal, now).time,
    timeZone: org.timezone,
    districts: listDistricts(app),
    doctors: listDoctorViews(app),
    attachmentDocuments: (def?.documents ?? []).map((d) => ({ id: d.id, title: d.title, required: d.required })),
    services,
  };
}
