/**
 * Positions of staff as printed on documents, in Kazakh and Russian, from the role and (for physicians) the
 * specialty. The Kazakh terms follow the regulations' own words ("фтизиатр-дәрігер", "медициналық тіркеуші",
 * "психоәлеуметтік кеңес беру кабинетінің дәрігері"); a printout never shows a login or an English role word.
 */
import type { Role, Specialty } from './roles';

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
