/**
 * A deterministic population sample with Kazakh and Russian names, valid IINs and Astana addresses. The demo
 * data, the tests and the benchmark (2,000,000 people) all draw from it, so the numbers are reproducible.
 */
import { makeIin } from '../../common/iin';
import type { Person } from '../../common/schemas';
import { csvLine } from './csv';

const KZ_SURNAMES_M = [
  'Нұрланов',
  'Серікбаев',
  'Әбілов',
  'Қасымов',
  'Жұмабаев',
  'Төлегенов',
  'Оспанов',
  'Сәрсенбаев',
  'Ғабдуллин',
  'Құрманов',
  'Есенов',
  'Бекмұханов',
  'Үсенов',
  'Ибраев',
  'Мұхамеджанов',
  'Әлімжанов',
  'Шәкенов',
  'Байжанов',
  'Қалиев',
  'Өтегенов',
];
const KZ_GIVEN_M = [
  'Нұрлан',
  'Ерлан',
  'Асқар',
  'Дәурен',
  'Бауыржан',
  'Ғалым',
  'Серік',
  'Айдос',
  'Қайрат',
  'Әлихан',
  'Олжас',
  'Жандос',
  'Мұрат',
  'Тимур',
  'Ержан',
  'Рустем',
  'Арман',
  'Ілияс',
  'Нұрсұлтан',
  'Әлі',
];
const KZ_GIVEN_F = [
  'Айгүл',
  'Динара',
  'Әсел',
  'Гүлнар',
  'Жанар',
  'Мөлдір',
  'Ақмарал',
  'Сәуле',
  'Нұргүл',
  'Айжан',
  'Салтанат',
  'Құралай',
  'Балжан',
  'Әйгерім',
  'Дана',
  'Томирис',
  'Жұлдыз',
  'Ұлжан',
  'Инабат',
  'Меруерт',
];
const KZ_FATHERS = ['Серік', 'Нұрлан', 'Қайрат', 'Бақыт', 'Ерлан', 'Марат', 'Асқар', 'Болат', 'Жандос', 'Әділ'];
const RU_SURNAMES_M = [
  'Иванов',
  'Петров',
  'Смирнов',
  'Кузнецов',
  'Попов',
  'Васильев',
  'Соколов',
  'Михайлов',
  'Новиков',
  'Фёдоров',
  'Морозов',
  'Волков',
  'Алексеев',
  'Лебедев',
  'Семёнов',
];
const RU_GIVEN_M = ['Александр', 'Сергей', 'Дмитрий', 'Андрей', 'Алексей', 'Максим', 'Евгений', 'Игорь', 'Николай', 'Владимир'];
const RU_GIVEN_F = ['Елена', 'Ольга', 'Наталья', 'Татьяна', 'Ирина', 'Светлана', 'Анна', 'Мария', 'Юлия', 'Екатерина'];
const RU_FATHERS = ['Александр', 'Сергей', 'Николай', 'Владимир', 'Иван', 'Пётр', 'Михаил', 'Виктор'];
const STREETS = [
  'Қабанбай батыр д-лы',
  'Мәңгілік Ел д-лы',
  'Тұран д-лы',
  'Сарыарқа д-лы',
  'Абай д-лы',
  'Кенесары к-сі',
  'Бейбітшілік к-сі',
  'Сейфуллин к-сі',
  'Иманов к-сі',
  'Жеңіс д-лы',
  'Республика д-лы',
  'Сығанақ к-сі',
];

/** mulberry32: a tiny seeded PRNG; Math.random cannot be seeded. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;

function femaleSurname(m: string): string {
  return m.endsWith('ов') || m.endsWith('ев') || m.endsWith('ин') ? m + 'а' : m;
}

function patronymic(father: string, female: boolean, kazakh: boolean): string {
  if (kazakh) return father + (female ? 'қызы' : 'ұлы');
  const stem = father.endsWith('й') ? father.slice(0, -1) + 'е' : father.endsWith('ь') ? father.slice(0, -1) + 'е' : father + 'о';
  return stem + (female ? 'вна' : 'вич');
}

/**
 * Yields `count` people. IIN serials are unique because they encode the running index (at most 10,000 people per
 * birth date and sex), so millions of rows need no de-duplication pass.
 */
export function* generatePeople(count: number, seed = 1): Generator<Person> {
  const rnd = prng(seed);
  const start = Date.UTC(1940, 0, 1);
  const days = Math.floor((Date.UTC(2025, 11, 31) - start) / 86_400_000);
  for (let i = 0; i < count; i++) {
    const female = rnd() < 0.52;
    const kazakh = rnd() < 0.7;
    // Spread people over birth dates by index so serials never collide: day = i mod days, serial = i div days.
    const day = (i * 7919) % days;
    const birthDate = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
    const serial = Math.floor(i / days) * 4 + 1; // three spare serials for numbers with no check digit
    const iin = makeIin(birthDate, female ? 'F' : 'M', serial);
    const surnameM = pick(rnd, kazakh ? KZ_SURNAMES_M : RU_SURNAMES_M);
    yield {
      iin,
      surname: female ? femaleSurname(surnameM) : surnameM,
      givenName: pick(rnd, kazakh ? (female ? KZ_GIVEN_F : KZ_GIVEN_M) : female ? RU_GIVEN_F : RU_GIVEN_M),
      patronymic: patronymic(pick(rnd, kazakh ? KZ_FATHERS : RU_FATHERS), female, kazakh),
      birthDate,
      sex: female ? 'F' : 'M',
      address: `Астана қ., ${pick(rnd, STREETS)}, ${1 + Math.floor(rnd() * 120)}-үй, ${1 + Math.floor(rnd() * 200)}-пәтер`,
      phone: `+7 70${Math.floor(rnd() * 10)} ${String(Math.floor(rnd() * 1e7)).padStart(7, '0')}`,
      source: 'register',
    };
  }
}

export const CSV_HEADER = 'iin,surname,given_name,patronymic,birth_date,sex,address,phone';

export function personCsvLine(p: Person): string {
  return csvLine([p.iin, p.surname, p.givenName, p.patronymic, p.birthDate, p.sex, p.address, p.phone]);
}
