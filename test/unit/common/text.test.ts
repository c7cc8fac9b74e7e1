import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameKey, nameQueryKeys } from '../../../common/text';

describe('name keys', () => {
  it('folds case, Kazakh letters and Ё so any keyboard layout finds the person', () => {
    expect(nameKey('Қасымова')).toBe(nameKey('касымова'));
    expect(nameKey('Әбілов')).toBe(nameKey('АБИЛОВ'));
    expect(nameKey('Өтегенов')).toBe(nameKey('отегенов'));
    expect(nameKey('Ұлжан')).toBe(nameKey('үлжан'));
    expect(nameKey('Семёнов')).toBe(nameKey('семенов'));
    expect(nameKey('Ғабдуллин')).toBe('ГАБДУЛЛИН');
    expect(nameKey('Нұрсұлтан')).toBe(nameKey('НУРСУЛТАН'));
    expect(nameKey('Smith-Jones')).toBe('SMITHJONES');
  });

  it('splits a query into at most three name parts', () => {
    expect(nameQueryKeys('  әлі  сер ')).toEqual(['АЛИ', 'СЕР']);
    expect(nameQueryKeys('a b c d')).toEqual(['A', 'B', 'C']);
  });

  it('property: a prefix of a name folds to a prefix of its key', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...'АӘБВГҒДЕЁЖЗИЙІКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫЬЭЮЯаәбвгғдеёжзиійкқлмнңоөпрстуұүфхһцчшщъыьэюя'.split('')),
          minLength: 1,
          maxLength: 12,
        }),
        fc.nat(),
        (name, cut) => {
          const prefix = name.slice(0, 1 + (cut % name.length));
          expect(nameKey(name).startsWith(nameKey(prefix))).toBe(true);
        },
      ),
    );
  });
});
