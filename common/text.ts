/**
 * Search keys for people's names.
 *
 * Registrars type on whatever keyboard layout is active: a Kazakh name may arrive as "Калиев" or "Қалиев",
 * a Russian one as "Семенов" or "Семёнов", any of them in any case. The key folds case, folds Ё to Е and the
 * Kazakh-specific letters to the Russian letters that stand in for them on a Russian keyboard
 * (Ә→А, Ғ→Г, Қ→К, Ң→Н, Ө→О, Ұ→У, Ү→У, Һ→Х, І→И), and drops everything that is not a letter or digit, so prefix
 * search by key finds the person however the name was typed. Display always uses the name as registered.
 */
const FOLD: Record<string, string> = {
  Ә: 'А',
  Ғ: 'Г',
  Қ: 'К',
  Ң: 'Н',
  Ө: 'О',
  Ұ: 'У',
  Ү: 'У',
  Һ: 'Х',
  І: 'И',
  Ё: 'Е',
  Й: 'И',
};

const FOLDABLE = /[ӘҒҚҢӨҰҮҺІЁЙ]/g;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;

export function nameKey(name: string | null | undefined): string {
  if (!name) return '';
  // Two whole-string regex passes: this runs for every row of a 2,000,000-row register import.
  return name
    .toUpperCase()
    .replace(NOT_LETTER_OR_DIGIT, '')
    .replace(FOLDABLE, (ch) => FOLD[ch]!);
}

/**
 * The name as written, for ranking: lower case, Kazakh letters and Ё kept, everything that is not a letter or digit
 * dropped. A query typed with Kazakh letters ("Әл") matches these keys only for names that have those very
 * letters, so those people come before the ones matched only through the folded key (Ал…).
 */
export function exactNameKey(name: string | null | undefined): string {
  if (!name) return '';
  return name.toLowerCase().replace(NOT_LETTER_OR_DIGIT, '');
}

/** The typed query's name parts as exact keys: "Әлі сер" → ["әлі", "сер"] (the parts nameQueryKeys folds). */
export function exactQueryKeys(query: string): string[] {
  return query
    .split(/[\s,]+/)
    .map(exactNameKey)
    .filter((k) => k.length > 0)
    .slice(0, 3);
}

/** Splits a typed query into name-part keys: "әлі сер" → ["АЛИ", "СЕР"]; at most surname, given name, patronymic. */
export function nameQueryKeys(query: string): string[] {
  return query
    .split(/[\s,]+/)
    .map(nameKey)
    .filter((k) => k.length > 0)
    .slice(0, 3);
}

/** The smallest string greater than every string starting with `prefix` (for index range scans). */
export function prefixUpperBound(prefix: string): string {
  return prefix + '\u{10FFFF}';
}
