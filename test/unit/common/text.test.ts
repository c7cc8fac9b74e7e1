import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactNameKey, exactQueryKeys, nameKey, nameQueryKeys } from '../../../common/text';

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

  it('keeps the letters as written in the exact key: lower case, Kazakh letters and Ё unfolded', () => {
    expect(exactNameKey('Әлімжанов')).toBe('әлімжанов');
    expect(exactNameKey('ӘЛІМЖАНОВ')).toBe('әлімжанов');
    expect(exactNameKey('Алимжанов')).toBe('алимжанов');
    expect(exactNameKey('Семёнов')).toBe('семёнов');
    expect(exactNameKey('Қасым-Жомарт')).toBe('қасымжомарт');
    expect(exactNameKey("О'Нил")).toBe('онил');
    expect(exactNameKey(null)).toBe('');
    // Every Kazakh letter stays itself; the folded key maps it to its Russian stand-in.
    for (const [kz, ru] of [['ӘҒҚҢӨҰҮҺІ', 'АГКНОУУХИ']] as const) {
      expect(exactNameKey(kz)).toBe('әғқңөұүһі');
      expect(nameKey(kz)).toBe(ru);
    }
    expect(exactNameKey('Әл')).not.toBe(exactNameKey('Ал'));
    expect(nameKey('Әл')).toBe(nameKey('Ал'));
  });

  it('splits a query into exact keys aligned with the folded ones', () => {
    expect(exactQueryKeys('  Әлі  Сер ')).toEqual(['әлі', 'сер']);
    expect(exactQueryKeys('Әлі - Сер')).toEqual(['әлі', 'сер']);
    expect(nameQueryKeys('Әлі - Сер')).toEqual(['АЛИ', 'СЕР']);
    expect(exactQueryKeys('a b c d')).toEqual(['a', 'b', 'c']);
  });

  it('property: an exact key folds to the folded key (exact matches are a subset of folded ones)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'АӘБҒЁЙІҚҢӨҰҮҺаәбғёйіқңөұүһ -'.split('')), minLength: 0, maxLength: 12 }),
        (name) => {
          expect(nameKey(exactNameKey(name))).toBe(nameKey(name));
        },
      ),
    );
  });
});
