/**
 * Positions of staff as printed on documents, in Kazakh and Russian, from the role and (for physicians) the
 * specialty. The Kazakh terms follow the regulations' own words ("фтизиатр-дәрігер", "медициналық тіркеуші",
 * "психоәлеуметтік кеңес беру кабинетінің дәрігері"); a printout never shows a login or an English role word.
 */
import type { Language, Role, Specialty } from './roles';

export interface PositionTitle {
  kk: string;
  ru: string;
}

const PHYSICIANS: Record<Specialty, PositionTitle> = {
  therapist: { kk: 'терапевт-дәрігер', ru: 'врач-терапевт' },
  paediatrician: { kk: 'педиатр-дәрігер', ru: 'врач-педиатр' },
  gp: { kk: 'жалпы практика дәрігері', ru: 'врач общей практики' },
  phthisiatrician: { kk: 'фтизиатр-дәрігер', ru: 'врач-фтизиатр' },
  psychiatrist: { kk: 'психиатр-дәрігер', ru: 'врач-психиатр' },
  narcologist: { kk: 'нарколог-дәрігер', ru: 'врач-нарколог' },
  counselling: {
    kk: 'психоәлеуметтік кеңес беру кабинетінің дәрігері',
    ru: 'врач кабинета психосоциального консультирования',
  },
};

const ROLES: Record<Role, PositionTitle> = {
  registrar: { kk: 'медициналық тіркеуші', ru: 'медицинский регистратор' },
  operator: { kk: 'оператор', ru: 'оператор' },
  cashier: { kk: 'кассир', ru: 'кассир' },
  physician: { kk: 'дәрігер', ru: 'врач' },
  nurse: { kk: 'мейіргер', ru: 'медицинская сестра' },
  administrator: { kk: 'әкімші', ru: 'администратор' },
};

/** The printed position of a role (and specialty); an unknown role gives a neutral "employee", never the code. */
export function positionOf(role: string, specialty: string | null | undefined): PositionTitle {
  if (role === 'physician' && specialty && specialty in PHYSICIANS) return PHYSICIANS[specialty as Specialty];
  return ROLES[role as Role] ?? { kk: 'қызметкер', ru: 'сотрудник' };
}

/** The same from a stored actor label ("physician/phthisiatrician", "registrar"; engine.ts actorLabel). */
export function positionOfLabel(label: string): PositionTitle {
  const [role, specialty] = label.split('/');
  return positionOf(role ?? '', specialty ?? null);
}

/** English positions, for an English report (a screen in English reads these words, never a role key either). */
const PHYSICIANS_EN: Record<Specialty, string> = {
  therapist: 'therapist',
  paediatrician: 'paediatrician',
  gp: 'general practitioner',
  phthisiatrician: 'phthisiatrician',
  psychiatrist: 'psychiatrist',
  narcologist: 'narcologist',
  counselling: 'counselling room physician',
};
const ROLES_EN: Record<Role, string> = {
  registrar: 'medical registrar',
  operator: 'operator',
  cashier: 'cashier',
  physician: 'physician',
  nurse: 'nurse',
  administrator: 'administrator',
};

/** The position in one of the three languages (a report's "performer" column: electron/services/workflow/deadlines.ts). */
export function positionText(role: string, specialty: string | null | undefined, lang: Language): string {
  if (lang !== 'en') return positionOf(role, specialty)[lang];
  if (role === 'physician' && specialty && specialty in PHYSICIANS_EN) return PHYSICIANS_EN[specialty as Specialty];
  return ROLES_EN[role as Role] ?? 'employee';
}
