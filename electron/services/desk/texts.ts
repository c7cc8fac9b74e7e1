/**
 * Texts of the front desk's printouts and journal exports (the main process prints; the renderer has its own
 * copies of screen texts in renderer/src/i18n/features/desk.ts). Kazakh terms from the regulations' seeds.
 */
import type { JournalId } from '../../../common/desk';
import type { Lang } from '../documents/pdf';

type L = Record<Lang, string>;

export const JOURNAL_TITLES: Record<JournalId, L> = {
  'home-visits': { kk: 'Шақыруларды тіркеу журналы', ru: 'Журнал регистрации вызовов', en: 'Home-visit call register' },
  appointments: {
    kk: 'Дәрігердің қабылдауына алдын ала жазылу журналы',
    ru: 'Журнал предварительной записи на приём к врачу',
    en: 'Pre-registration journal',
  },
  attachments: { kk: 'МСАК ұйымына тіркеу журналы', ru: 'Журнал прикрепления к организации ПМСП', en: 'Attachment journal' },
};

export const COLUMN_TITLES: Record<string, L> = {
  number: { kk: 'Нөмірі', ru: 'Номер', en: 'Number' },
  registeredAt: { kk: 'Тіркелген күні, уақыты', ru: 'Дата и время записи', en: 'Entered at' },
  channel: { kk: 'Арна', ru: 'Канал', en: 'Channel' },
  person: { kk: 'Тегі, аты, әкесінің аты', ru: 'ФИО', en: 'Full name' },
  iin: { kk: 'ЖСН', ru: 'ИИН', en: 'IIN' },
  birthDate: { kk: 'Туған күні', ru: 'Дата рождения', en: 'Date of birth' },
  address: { kk: 'Мекенжайы', ru: 'Адрес', en: 'Address' },
  phone: { kk: 'Телефоны', ru: 'Телефон', en: 'Phone' },
  caller: { kk: 'Кім шақырды', ru: 'Кто вызвал', en: 'Caller' },
  complaint: { kk: 'Шағымы', ru: 'Жалобы', en: 'Complaint' },
  district: { kk: 'Учаске', ru: 'Участок', en: 'District' },
  doctor: { kk: 'Дәрігер', ru: 'Врач', en: 'Doctor' },
  specialty: { kk: 'Мамандығы', ru: 'Специальность', en: 'Specialty' },
  visit: { kk: 'Бару / қабылдау күні мен уақыты', ru: 'Дата и время визита / приёма', en: 'Date and time' },
  kind: { kk: 'Түрі', ru: 'Вид', en: 'Kind' },
  status: { kk: 'Күйі', ru: 'Статус', en: 'Status' },
  sync: { kk: 'Орталықпен', ru: 'С центром', en: 'Centre' },
  documents: { kk: 'Ұсынылған құжаттар', ru: 'Представленные документы', en: 'Documents presented' },
  previousOrganization: { kk: 'Бұрынғы ұйымнан шығу', ru: 'Открепление от прежней организации', en: 'Detached from' },
  registrar: { kk: 'Тіркеуші', ru: 'Регистратор', en: 'Registrar' },
};

export const VALUE_TEXTS: Record<string, L> = {
  desk: { kk: 'келу', ru: 'лично', en: 'in person' },
  phone: { kk: 'телефон', ru: 'телефон', en: 'phone' },
  portal: { kk: 'ЭҮП (портал)', ru: 'портал ЭП', en: 'e-gov portal' },
  self: { kk: 'өзі', ru: 'сам', en: 'self' },
  relative: { kk: 'туысы', ru: 'родственник', en: 'relative' },
  other: { kk: 'басқа адам', ru: 'другое лицо', en: 'someone else' },
  registered: { kk: 'тіркелді', ru: 'зарегистрирован', en: 'registered' },
  visited: { kk: 'барды', ru: 'обслужен', en: 'visited' },
  cancelled: { kk: 'болдырылмады', ru: 'отменён', en: 'cancelled' },
  booked: { kk: 'жазылды', ru: 'записан', en: 'booked' },
  rescheduled: { kk: 'ауыстырылды', ru: 'перенесён', en: 'rescheduled' },
  appointment: { kk: 'алдын ала', ru: 'предварительная', en: 'booked ahead' },
  'walk-in': { kk: 'кезексіз келу', ru: 'без записи', en: 'walk-in' },
  provisional: { kk: 'расталмаған', ru: 'не подтверждено', en: 'provisional' },
  confirmed: { kk: 'расталды', ru: 'подтверждено', en: 'confirmed' },
  conflict: { kk: 'уақыт бос емес', ru: 'время занято', en: 'slot lost' },
  active: { kk: 'тіркелген', ru: 'прикреплён', en: 'attached' },
  ended: { kk: 'шығарылды', ru: 'откреплён', en: 'detached' },
  therapist: { kk: 'учаскелік терапевт', ru: 'участковый терапевт', en: 'district therapist' },
  paediatrician: { kk: 'учаскелік педиатр', ru: 'участковый педиатр', en: 'district paediatrician' },
  gp: { kk: 'жалпы практика дәрігері', ru: 'врач общей практики', en: 'general practitioner' },
  phthisiatrician: { kk: 'фтизиатр', ru: 'фтизиатр', en: 'phthisiatrician' },
  psychiatrist: { kk: 'психиатр', ru: 'психиатр', en: 'psychiatrist' },
  narcologist: { kk: 'нарколог', ru: 'нарколог', en: 'narcologist' },
  counselling: { kk: 'консультант', ru: 'консультант', en: 'counsellor' },
};

export const value = (key: string, lang: Lang) => VALUE_TEXTS[key]?.[lang] ?? key;

export const PRINT: Record<string, L> = {
  bin: { kk: 'БСН', ru: 'БИН', en: 'BIN' },
  talonTitle: {
    kk: 'МСАК ұйымына тіркеу туралы анықтама (талон)',
    ru: 'Справка (талон) о прикреплении к организации ПМСП',
    en: 'Attachment certificate (talon)',
  },
  talonNo: { kk: 'Талон №', ru: 'Талон №', en: 'Talon No.' },
  person: { kk: 'Азамат (азаматша)', ru: 'Гражданин (гражданка)', en: 'Person' },
  iin: { kk: 'ЖСН', ru: 'ИИН', en: 'IIN' },
  birthDate: { kk: 'Туған күні', ru: 'Дата рождения', en: 'Date of birth' },
  address: { kk: 'Мекенжайы', ru: 'Адрес', en: 'Address' },
  attachedTo: { kk: 'Тіркелген ұйымы', ru: 'Прикреплён(а) к организации', en: 'Attached to' },
  district: { kk: 'Учаске', ru: 'Участок', en: 'District' },
  doctor: { kk: 'Учаскелік дәрігер', ru: 'Участковый врач', en: 'District doctor' },
  date: { kk: 'Тіркелген күні', ru: 'Дата прикрепления', en: 'Date of attachment' },
  previous: { kk: 'Бұрынғы ұйымнан шығарылды', ru: 'Откреплён(а) от', en: 'Detached from' },
  seal: { kk: 'М.О. (мөр орны)', ru: 'М.П. (место печати)', en: 'Seal' },
  registrar: { kk: 'Тіркеуші', ru: 'Регистратор', en: 'Registrar' },
  signature: { kk: 'қолы', ru: 'подпись', en: 'signature' },
  verify: { kk: 'Тексеру коды', ru: 'Код проверки', en: 'Verification code' },
  slipTitle: { kk: 'Дәрігердің қабылдауына жазылу талоны', ru: 'Талон записи на приём к врачу', en: 'Appointment slip' },
  slipNo: { kk: 'Жазылу №', ru: 'Запись №', en: 'Booking No.' },
  when: { kk: 'Қабылдау күні мен уақыты', ru: 'Дата и время приёма', en: 'Date and time' },
  room: { kk: 'Кабинет', ru: 'Кабинет', en: 'Room' },
  slipNote: {
    kk: 'Қабылдауға 10 минут бұрын келіңіз, жеке басын куәландыратын құжатты алыңыз. Келе алмасаңыз, тіркеу бөліміне хабарлаңыз.',
    ru: 'Приходите за 10 минут до приёма, возьмите документ, удостоверяющий личность. Если не можете прийти, сообщите в регистратуру.',
    en: 'Come 10 minutes early with your identity document. If you cannot come, tell the front desk.',
  },
  visitsTitle: { kk: 'Үйге шақырулар тізімі', ru: 'Список вызовов на дом', en: 'Home visits' },
  visitsFor: { kk: 'Дәрігер', ru: 'Врач', en: 'Doctor' },
  routeNote: {
    kk: 'Бару ретімен (учаске көшелері бойынша)',
    ru: 'В порядке обхода (по улицам участка)',
    en: 'In route order (by the district’s streets)',
  },
  window: { kk: 'Уақыты', ru: 'Время', en: 'Time' },
  mark: { kk: 'Белгі', ru: 'Отметка', en: 'Done' },
  period: { kk: 'Кезең', ru: 'Период', en: 'Period' },
  total: { kk: 'Барлығы', ru: 'Всего', en: 'Total' },
  printed: { kk: 'Басылған уақыты', ru: 'Напечатано', en: 'Printed' },
  none: { kk: 'Жазба жоқ', ru: 'Записей нет', en: 'No entries' },
};
