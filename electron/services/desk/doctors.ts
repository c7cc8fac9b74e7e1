/**
 * The physicians the desk books and sends: doctors with their weekly timetable templates, as every front-desk
 * section reads them (districts propose one, timetables plan their weeks, appointments and home visits check them).
 */
import { timetableTemplateSchema, type Doctor, type TimetableTemplate } from '../../../common/desk';
import { ApiError } from '../../../common/errors';
import type { Specialty } from '../../../common/roles';
import * as districtsDb from '../../../db/desk/districts';
import * as doctorsDb from '../../../db/desk/doctors';
import * as timetablesDb from '../../../db/desk/timetables';
import type { AppContext } from '../app';
import type { DoctorPlanInput } from '../../../common/timetable-slots';

interface Loaded {
  doctors: doctorsDb.DoctorRow[];
  byId: Map<number, doctorsDb.DoctorRow>;
  templates: Map<number, TimetableTemplate | null>;
}

const parsedTemplates = new Map<string, TimetableTemplate | null>();
/** A stored template, validated once per distinct text (searches read every doctor's template each time). */
export function parseTemplate(text: string | null): TimetableTemplate | null {
  if (!text) return null;
  let t = parsedTemplates.get(text);
  if (t === undefined) {
    const r = timetableTemplateSchema.safeParse(JSON.parse(text));
    t = r.success ? r.data : null;
    if (parsedTemplates.size > 5000) parsedTemplates.clear();
    parsedTemplates.set(text, t);
  }
  return t;
}

export function loadDoctors(app: AppContext): Loaded {
  const doctors = doctorsDb.listDoctors(app.db);
  return {
    doctors,
    byId: new Map(doctors.map((d) => [d.id, d])),
    templates: new Map(doctors.map((d) => [d.id, parseTemplate(d.template)])),
  };
}

export function requireDoctor(app: AppContext, id: number): doctorsDb.DoctorRow {
  const d = doctorsDb.getDoctor(app.db, id);
  if (!d) throw new ApiError('not-found', `no doctor ${id}`, { id }, ['doctorId']);
  return d;
}

export function planInput(app: AppContext, d: doctorsDb.DoctorRow, from: string, to: string): DoctorPlanInput {
  return { doctorId: d.id, template: parseTemplate(d.template), exceptions: timetablesDb.listExceptions(app.db, d.id, from, to) };
}

export function doctorView(d: doctorsDb.DoctorRow, districts: districtsDb.DistrictRow[]): Doctor {
  return {
    id: d.id,
    login: d.login,
    fullName: d.full_name,
    specialty: d.specialty as Specialty,
    room: d.room,
    hasTimetable: d.template !== null,
    districts: districts.filter((x) => x.therapist_id === d.id || x.paediatrician_id === d.id || x.gp_id === d.id).map((x) => x.number),
  };
}

export function listDoctorViews(app: AppContext): Doctor[] {
  const districts = districtsDb.listDistricts(app.db);
  return doctorsDb.listDoctors(app.db).map((d) => doctorView(d, districts));
}
