import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection';
import type { Db } from '../../../db/connection';
import { issueNumber } from '../../../electron/services/numbers';

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:').db;
});
afterEach(() => db.close());

describe('issuing numbers', () => {
  it('formats each kind as prefix, letter and zero-padded sequence, as the numbers printed so far', () => {
    expect(issueNumber(db, 'A4', 'request')).toBe('A4-000001');
    expect(issueNumber(db, 'A4', 'appointment')).toBe('A4-P000001');
    expect(issueNumber(db, 'A4', 'home-visit')).toBe('A4-V000001');
    expect(issueNumber(db, 'A4', 'talon')).toBe('A4-T000001');
    expect(issueNumber(db, 'A4', 'receipt')).toBe('A4-R000001');
    expect(issueNumber(db, 'A4', 'cash-shift')).toBe('A4-SH00001');
    expect(issueNumber(db, 'A4', 'certificate')).toBe('A4-C000001');
  });

  it('counts each kind on its own, continues the sequence stored under the kind’s name, and never repeats', () => {
    db.prepare(`INSERT INTO sequence (name, value) VALUES ('receipt', 41)`).run();
    expect(issueNumber(db, 'B7', 'receipt')).toBe('B7-R000042');
    expect(issueNumber(db, 'B7', 'talon')).toBe('B7-T000001');
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) seen.add(issueNumber(db, 'B7', 'request'));
    expect(seen.size).toBe(500);
    expect(issueNumber(db, 'B7', 'request')).toBe('B7-000501');
  });

  it('gives the number back when the transaction that took it rolls back (no gaps on paper)', () => {
    expect(() =>
      db.transaction(() => {
        issueNumber(db, 'A4', 'receipt');
        throw new Error('refused');
      })(),
    ).toThrow('refused');
    expect(issueNumber(db, 'A4', 'receipt')).toBe('A4-R000001');
  });

  it('keeps workstations apart by their prefix, however far the local sequences run', () => {
    const other = openDatabase(':memory:').db;
    try {
      const here = Array.from({ length: 20 }, () => issueNumber(db, 'A4', 'talon'));
      const there = Array.from({ length: 20 }, () => issueNumber(other, 'A5', 'talon'));
      expect(new Set([...here, ...there]).size).toBe(40);
      expect(issueNumber(db, 'A4', 'request')).not.toBe(issueNumber(other, 'A5', 'request'));
    } finally {
      other.close();
    }
  });
});
