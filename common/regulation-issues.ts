/**
 * What is wrong with a regulation definition file (common/regulations.ts, electron/services/regulations/catalog.ts):
 * a code with its parameters and its words in kk, ru and en, so the administrator who imports a file reads the
 * problems in their language (the Regulations screen) and the log keeps the English. The field path and the
 * identifiers quoted («issue», «desk») are the file's own names and stay as written there.
 * For a schema problem the English is zod's own message (`detail`); kk/ru name the kind of problem.
 * Terms follow the screens' (renderer/src/i18n/features/workflow.ts): қадам/шаг, шарт/условие, тәсіл/способ.
 */
import type { Language } from './roles';

export type IssueParams = Record<string, string | number>;

type Text = (p: IssueParams) => string;
type Texts = Record<Language, Text>;

const q = (v: unknown) => `«${String(v ?? '')}»`;

const TEXTS = {
  'file-twice': {
    kk: () => 'бұл файл тізімде екі рет берілген',
    ru: () => 'файл указан в списке дважды',
    en: () => 'the same file is listed twice',
  },
  'not-json': {
    kk: () => 'файл JSON пішімінде емес',
    ru: () => 'файл не в формате JSON',
    en: (p) => `not valid JSON${p.detail ? `: ${p.detail}` : ''}`,
  },
  'cannot-read': {
    kk: () => 'файлды оқу мүмкін болмады',
    ru: () => 'файл не удалось прочитать',
    en: (p) => `cannot read${p.detail ? `: ${p.detail}` : ''}`,
  },
  'path-outside': {
    kk: (p) => `${q(p.file)} бумадағы салыстырмалы жол болуы керек`,
    ru: (p) => `${q(p.file)} должен быть относительным путём внутри папки`,
    en: (p) => `"${p.file}" must be a relative path inside the folder`,
  },
  'unknown-fields': {
    kk: (p) => `белгісіз өріс(тер): ${p.keys}`,
    ru: (p) => `неизвестное поле (поля): ${p.keys}`,
    en: (p) => `unknown field(s): ${p.keys}`,
  },
  missing: { kk: () => 'өріс берілмеген', ru: () => 'поле не указано', en: (p) => `missing${p.detail ? ` (${p.detail})` : ''}` },
  'wrong-type': {
    kk: () => 'мәннің түрі дұрыс емес',
    ru: () => 'значение не того типа',
    en: (p) => String(p.detail ?? `wrong type (expected ${p.expected})`),
  },
  'not-allowed': {
    kk: () => 'мұндай мәнге рұқсат жоқ',
    ru: () => 'недопустимое значение',
    en: (p) => String(p.detail ?? 'value not allowed'),
  },
  'out-of-range': {
    kk: () => 'мән рұқсат етілген шектен тыс',
    ru: () => 'значение вне допустимых пределов',
    en: (p) => String(p.detail ?? 'out of range'),
  },
  'bad-format': {
    kk: () => 'мәннің жазылуы дұрыс емес',
    ru: () => 'значение записано неверно',
    en: (p) => String(p.detail ?? 'bad format'),
  },
  invalid: {
    kk: () => 'мән дұрыс емес',
    ru: () => 'неверное значение',
    en: (p) => String(p.detail ?? 'invalid'),
  },
  'ends-before-start': {
    kk: (p) => `қолданылу мерзімі (${p.to}) басталуынан (${p.from}) бұрын аяқталады`,
    ru: (p) => `срок действия заканчивается (${p.to}) раньше, чем начинается (${p.from})`,
    en: (p) => `ends (${p.to}) before it starts (${p.from})`,
  },
  'duplicate-condition': {
    kk: (p) => `${q(p.id)} шарты екі рет берілген`,
    ru: (p) => `условие ${q(p.id)} указано дважды`,
    en: (p) => `duplicate condition id "${p.id}"`,
  },
  'reserved-step-id': {
    kk: (p) => `${q(p.id)} атауы сұраныстың аяқталуына арналған`,
    ru: (p) => `имя ${q(p.id)} зарезервировано для завершения запроса`,
    en: (p) => `"${p.id}" is reserved for the end of the request`,
  },
  'duplicate-step': {
    kk: (p) => `${q(p.id)} қадамы екі рет берілген (${p.other} да)`,
    ru: (p) => `шаг ${q(p.id)} указан дважды (также ${p.other})`,
    en: (p) => `duplicate step id "${p.id}" (also ${p.other})`,
  },
  'duration-missing': {
    kk: () => 'ұзақтығы берілмеген: минут немесе жұмыс күндері',
    ru: () => 'не указана длительность: в минутах или рабочих днях',
    en: () => 'missing duration: give maxMinutes or maxWorkingDays',
  },
  'duration-both': {
    kk: () => 'ұзақтығы не минутпен, не жұмыс күндерімен беріледі, екеуі бірге емес',
    ru: () => 'длительность задаётся либо в минутах, либо в рабочих днях, не обоими',
    en: () => 'give either maxMinutes or maxWorkingDays, not both',
  },
  'specialty-not-physician': {
    kk: (p) => `мамандық тек дәрігерге беріледі (рөлі ${q(p.role)})`,
    ru: (p) => `специальность указывается только для врача (роль ${q(p.role)})`,
    en: (p) => `a specialty is only for physicians (role is "${p.role}")`,
  },
  'role-not-participant': {
    kk: (p) => `${q(p.actor)} қатысушылар арасында жоқ`,
    ru: (p) => `${q(p.actor)} нет среди участников`,
    en: (p) => `"${p.actor}" is not among the participants`,
  },
  'cashier-not-skippable': {
    kk: () => 'төлем нөл болғанда кассир қадамы өткізіліп жіберілуі керек',
    ru: () => 'шаг кассира должен пропускаться при нулевой оплате',
    en: () => 'a cashier step must be skippable: skipWhen "fee-zero"',
  },
  'register-missing': {
    kk: () => 'тіркелімді тексеру қадамы тіркелімді атауы керек',
    ru: () => 'шаг проверки по регистру должен назвать регистр',
    en: () => 'a register check names its register',
  },
  'register-without-check': {
    kk: () => 'тіркелімді тек тіркелімді тексеру қадамы атайды',
    ru: () => 'регистр называет только шаг проверки по регистру',
    en: () => 'a register is named only by a step with action "register-check"',
  },
  'signature-signs-result': {
    kk: () => 'қол қою қадамы нәтижеге қол қояды',
    ru: () => 'шаг подписи подписывает результат',
    en: () => 'a step with action "signature" signs the result: signsResult true',
  },
  'payment-cash-journal': {
    kk: () => 'төлем қадамы кассалық журналға жазылады',
    ru: () => 'шаг оплаты записывается в кассовый журнал',
    en: () => 'a step with action "payment" is recorded in the cash journal: journal "cash"',
  },
  'desk-form-not-staff': {
    kk: (p) => `тіркеу нысанын қызметкер растайды, ${q(p.role)} емес`,
    ru: (p) => `форму на стойке заверяет сотрудник, а не ${q(p.role)}`,
    en: (p) => `a desk form is certified by a staff member, not by "${p.role}"`,
  },
  'unknown-document': {
    kk: (p) => `${q(p.id)} құжаты құжаттар тізімінде жоқ`,
    ru: (p) => `документа ${q(p.id)} нет в списке документов`,
    en: (p) => `unknown document "${p.id}" (not in documents)`,
  },
  'document-twice': {
    kk: (p) => `${q(p.id)} құжаты екі рет берілген`,
    ru: (p) => `документ ${q(p.id)} указан дважды`,
    en: (p) => `document "${p.id}" listed twice`,
  },
  'unknown-step': {
    kk: (p) => `${q(p.id)} қадамы жоқ`,
    ru: (p) => `шага ${q(p.id)} нет`,
    en: (p) => `unknown step "${p.id}"`,
  },
  'unknown-condition': {
    kk: (p) => `${q(p.id)} шарты жоқ`,
    ru: (p) => `условия ${q(p.id)} нет`,
    en: (p) => `unknown condition "${p.id}"`,
  },
  'condition-twice': {
    kk: (p) => `${q(p.id)} шарты екі рет қолданылған`,
    ru: (p) => `условие ${q(p.id)} использовано дважды`,
    en: (p) => `condition "${p.id}" used twice`,
  },
  'default-edge-not-last': {
    kk: () => 'шартсыз өту соңғы болуы керек',
    ru: () => 'переход без условия должен быть последним',
    en: () => 'the default edge (without "when") must be the last one',
  },
  'default-edge-missing': {
    kk: () => 'шартсыз өту жоқ',
    ru: () => 'нет перехода без условия',
    en: () => 'needs a default edge without "when"',
  },
  'edge-must-end': {
    kk: (p) => `${p.kind === 'refusal' ? 'бас тарту' : 'нәтиже'} сұранысты аяқтауы керек`,
    ru: (p) => `${p.kind === 'refusal' ? 'отказ' : 'исход'} должен завершать запрос`,
    en: (p) => `a ${p.kind} must end the request (to "done")`,
  },
  'edge-refusal-and-outcome': {
    kk: () => 'өтуде не бас тарту, не нәтиже болады, екеуі бірге емес',
    ru: () => 'у перехода либо отказ, либо исход, не оба',
    en: () => 'an edge has either a refusal or an outcome, not both',
  },
  'fee-without-cashier': {
    kk: () => 'төлем берілген, бірақ оны алатын кассир қадамы жоқ',
    ru: () => 'оплата указана, но нет шага кассира, который её принимает',
    en: () => 'a fee is set but no cashier step takes it',
  },
  'one-desk-form': {
    kk: (p) => `қызметте бір ғана расталатын нысан болады (${p.other} да)`,
    ru: (p) => `у услуги одна заверяемая форма (также ${p.other})`,
    en: (p) => `a service has one certified desk form (also ${p.other})`,
  },
  'one-register-check': {
    kk: (p) => `қызметте бір ғана тіркелімді тексеру болады (${p.other} да)`,
    ru: (p) => `у услуги одна проверка по регистру (также ${p.other})`,
    en: (p) => `a service has one register check (also ${p.other})`,
  },
  'duplicate-channel': {
    kk: (p) => `${q(p.channel)} тәсілі екі рет берілген`,
    ru: (p) => `способ ${q(p.channel)} указан дважды`,
    en: (p) => `duplicate channel "${p.channel}"`,
  },
  'start-missing': {
    kk: (p) => `${q(p.channel)} тәсілінің бірінші қадамы берілмеген`,
    ru: (p) => `не указан первый шаг способа ${q(p.channel)}`,
    en: (p) => `missing: the first step of channel "${p.channel}"`,
  },
  'total-missing': {
    kk: (p) => `${q(p.channel)} тәсілі бойынша сұраныстың жалпы мерзімі берілмеген`,
    ru: (p) => `не указан общий срок запроса для способа ${q(p.channel)}`,
    en: (p) => `missing: the whole-request maximum of channel "${p.channel}"`,
  },
  'total-exactly-one': {
    kk: () => 'жалпы мерзім бір ғана түрде беріледі: минут, жұмыс күндері немесе жұмыс күнінің соңына дейін',
    ru: () => 'общий срок задаётся одним способом: минуты, рабочие дни или до конца рабочего дня',
    en: () => 'give exactly one of maxMinutes, maxWorkingDays, byEndOfWorkingDay',
  },
  'channel-not-listed': {
    kk: (p) => `${q(p.channel)} тәсілі тәсілдер тізімінде жоқ`,
    ru: (p) => `способа ${q(p.channel)} нет в списке способов`,
    en: (p) => `channel "${p.channel}" is not in channels`,
  },
  'unreachable-step': {
    kk: (p) => `${q(p.id)} қадамына ешбір тәсілдің басынан жету мүмкін емес`,
    ru: (p) => `до шага ${q(p.id)} нельзя дойти от начала ни одного способа`,
    en: (p) => `step "${p.id}" cannot be reached from any channel's start`,
  },
  'step-in-cycle': {
    kk: (p) => `${q(p.id)} қадамы аяқталуға жол жоқ тұйыққа кірген`,
    ru: (p) => `шаг ${q(p.id)} в цикле без выхода к завершению`,
    en: (p) => `step "${p.id}" is in a cycle with no path to the end`,
  },
  overlap: {
    kk: (p) =>
      `${p.from} бастап күшіне енетін ${q(p.key)} ${q(p.other)} файлымен (${p.otherFrom} – ${p.otherTo || 'мерзімсіз'}) қабаттасады; алдыңғысын ${p.from} дейін жабыңыз`,
    ru: (p) =>
      `${q(p.key)}, действующий с ${p.from}, пересекается с ${q(p.other)} (${p.otherFrom} – ${p.otherTo || 'бессрочно'}); закройте предыдущий до ${p.from}`,
    en: (p) =>
      `${p.key} in force from ${p.from} overlaps ${p.other} (${p.otherFrom} – ${p.otherTo || 'open-ended'}); close the earlier one with effectiveTo before ${p.from}`,
  },
  'portal-without-channel': {
    kk: () => 'берілген, бірақ қызметте портал тәсілі жоқ',
    ru: () => 'указано, но у услуги нет способа «через портал»',
    en: () => 'given, but the service has no portal channel',
  },
  'portal-answering-missing': {
    kk: () => 'портал арқылы көрсетілетін қызмет автоматтандыруы мен негіздерін атауы керек',
    ru: () => 'услуга через портал должна указать автоматизацию и основания',
    en: () => 'missing: a service offered through the portal states its automation and grounds',
  },
  'duplicate-ground': {
    kk: (p) => `${q(p.kind)} негізі екі рет берілген`,
    ru: (p) => `основание ${q(p.kind)} указано дважды`,
    en: (p) => `duplicate ground "${p.kind}"`,
  },
  'ground-other-service': {
    kk: (p) => `${q(p.kind)} негізін тек ${q(p.service)} қызметі үшін тексеруге болады`,
    ru: (p) => `основание ${q(p.kind)} проверяется только для услуги ${q(p.service)}`,
    en: (p) => `"${p.kind}" can be checked only for the ${p.service} service`,
  },
  'first-ground-person': {
    kk: () => 'бірінші негіз «person» болуы керек',
    ru: () => 'первое основание должно быть «person»',
    en: () => 'the first ground must be "person"',
  },
} satisfies Record<string, Texts>;

export type IssueCode = keyof typeof TEXTS;

/** The problem in words in one of the three languages. */
export function issueText(code: IssueCode, params: IssueParams | undefined, lang: Language): string {
  return TEXTS[code][lang](params ?? {});
}

export const ISSUE_CODES = Object.keys(TEXTS) as IssueCode[];

/** A problem found in a file's field: the path, the code with its parameters, and the English for logs. */
export function issueAt(
  path: string,
  code: IssueCode,
  params?: IssueParams,
): { path: string; code: IssueCode; params?: IssueParams; message: string } {
  return params
    ? { path, code, params, message: issueText(code, params, 'en') }
    : { path, code, message: issueText(code, undefined, 'en') };
}
