/**
 * Demo data for a first run: an Astana polyclinic, one account of every role (physicians of every specialty),
 * and a population sample, so a newcomer can log in at once. Passwords are random per data folder and printed
 * once; `tirkeu reset-password LOGIN` makes a new one when the printout is lost.
 */
import type { Role, Specialty } from '../../common/roles';
import type { Organization } from '../../common/schemas';
import { makeIin, withCheckDigit } from '../../common/iin';
import { SYSTEM_ACTOR } from '../../db/audit';
import { recordChange } from '../../db/change';
import { getOrganization, saveOrganization } from '../../db/organization';
import { upsertPerson } from '../../db/people';
import { countStaff, findStaffByLogin, insertStaff } from '../../db/staff';
import { adopt, standing } from './regulations/adoption';
import type { AppContext } from './app';
import { seedFrontDesk } from './desk/seed';
import { generatePeople } from './demo-population';
import { hashPasswordSync, temporaryPassword } from './passwords';

export const DEMO_ORGANIZATION: Organization = {
  bin: withCheckDigit('12014000101')!,
  name: {
    kk: 'Астана қаласының №4 қалалық емханасы',
    ru: 'Городская поликлиника №4 города Астаны',
    en: 'Astana City Polyclinic No. 4',
  },
  region: 'astana',
  timezone: 'Asia/Almaty',
  address: 'Астана қ., Сарыарқа д-лы, 15',
  workstationPrefix: 'A4',
};

export interface DemoAccount {
  login: string;
  fullName: string;
  role: Role;
  specialty: Specialty | null;
  iin: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { login: 'admin', fullName: 'Ержан Болатұлы Сәрсенов', role: 'administrator', specialty: null, iin: makeIin('1980-04-12', 'M', 101) },
  { login: 'registrar', fullName: 'Айгүл Серікқызы Нұрланова', role: 'registrar', specialty: null, iin: makeIin('1990-02-03', 'F', 102) },
  { login: 'operator', fullName: 'Динара Маратқызы Қасымова', role: 'operator', specialty: null, iin: makeIin('1988-07-21', 'F', 103) },
  { login: 'cashier', fullName: 'Ольга Викторовна Петрова', role: 'cashier', specialty: null, iin: makeIin('1979-11-30', 'F', 104) },
  {
    login: 'therapist',
    fullName: 'Асқар Нұрланұлы Жұмабаев',
    role: 'physician',
    specialty: 'therapist',
    iin: makeIin('1975-05-09', 'M', 105),
  },
  {
    login: 'paediatrician',
    fullName: 'Сәуле Бақытқызы Оспанова',
    role: 'physician',
    specialty: 'paediatrician',
    iin: makeIin('1983-01-17', 'F', 106),
  },
  { login: 'gp', fullName: 'Сергей Николаевич Иванов', role: 'physician', specialty: 'gp', iin: makeIin('1972-09-02', 'M', 107) },
  {
    login: 'phthisiatrician',
    fullName: 'Бауыржан Қайратұлы Есенов',
    role: 'physician',
    specialty: 'phthisiatrician',
    iin: makeIin('1970-03-25', 'M', 108),
  },
  {
    login: 'psychiatrist',
    fullName: 'Гүлнар Асқарқызы Төлегенова',
    role: 'physician',
    specialty: 'psychiatrist',
    iin: makeIin('1977-12-14', 'F', 109),
  },
  {
    login: 'narcologist',
    fullName: 'Марат Серікұлы Ибраев',
    role: 'physician',
    specialty: 'narcologist',
    iin: makeIin('1968-06-06', 'M', 110),
  },
  {
    login: 'counsellor',
    fullName: 'Жанар Ерланқызы Бекмұханова',
    role: 'physician',
    specialty: 'counselling',
    iin: makeIin('1985-08-19', 'F', 111),
  },
  { login: 'nurse', fullName: 'Мөлдір Нұрланқызы Әлімжанова', role: 'nurse', specialty: null, iin: makeIin('1995-10-10', 'F', 112) },
];

export const DEMO_POPULATION = 5000;

export interface SeedOptions {
  /** Fixed passwords (tests); by default each account gets a random one. */
  passwords?: Partial<Record<string, string>>;
  population?: number;
  /** How passwords are hashed (tests pass a memoised one: one scrypt for the shared test password, not twelve). */
  hash?: (password: string) => string;
}

/** Seeds an empty database; does nothing (returns null) when staff already exist. */
export function seedDemoData(app: AppContext, options: SeedOptions = {}): Array<DemoAccount & { password: string }> | null {
  if (countStaff(app.db) > 0) return null;
  const now = app.clock();
  const accounts = DEMO_ACCOUNTS.map((a) => ({ ...a, password: options.passwords?.[a.login] ?? temporaryPassword() }));
  const hashes = accounts.map((a) => (options.hash ?? hashPasswordSync)(a.password));
  recordChange(
    app.db,
    SYSTEM_ACTOR,
    now,
    () => {
      if (!getOrganization(app.db)) saveOrganization(app.db, DEMO_ORGANIZATION);
      accounts.forEach((a, i) =>
        insertStaff(
          app.db,
          {
            login: a.login,
            fullName: a.fullName,
            iin: a.iin,
            role: a.role,
            specialty: a.specialty,
            passwordHash: hashes[i]!,
            language: 'kk',
            mustChangePassword: false,
          },
          now,
        ),
      );
      for (const p of generatePeople(options.population ?? DEMO_POPULATION, 2026)) upsertPerson(app.db, p, now);
      // Districts, more district doctors and timetables, so the front desk works at once (issue 4).
      seedFrontDesk(app, now);
    },
    { audit: { action: 'demo.seeded', details: { accounts: accounts.length, population: options.population ?? DEMO_POPULATION } } },
  );
  adoptLapsedActs(app, 'admin', DEMO_ADOPTION_REASON);
  return accounts;
}

/** Why the demo clinic works by a repealed act: shown on its banner and printouts, so in Kazakh and Russian. */
export const DEMO_ADOPTION_REASON =
  'Жаңа регламент әлі енгізілмеген, ұйым бұрынғысымен жұмыс істейді / Новый регламент ещё не введён, организация работает по прежнему';

/**
 * The demo administrator adopts every repealed act of the organization's region as the clinic's interim internal
 * standard (issue 15, point 3), visibly: the home screen's banner and the printouts name who, when and why. Without
 * it nothing would be in force today (both shipped acts were repealed long ago).
 */
export function adoptLapsedActs(app: AppContext, login: string, reason: string): void {
  const admin = findStaffByLogin(app.db, login);
  if (!admin) return;
  // Kept on this desk (no outbox operation): seeded demo data is nobody's record until the desk joins a clinic.
  for (const act of standing(app).lapsed) adopt(app, admin, { actNumber: act.number, reason }, false);
}
