/**
 * Dates in the contract are real calendar dates (issue 14): fuzzing found `2026-02-30` and `9999-99-99` accepted,
 * and they caused the only internal errors. Every date argument now goes through one schema.
 */
import { describe, expect, it } from 'vitest';
import { isoDate as deskDate } from '../../../common/desk';
import { isoDateSchema } from '../../../common/schemas';
import { api as API } from '../../../common/api';

describe('dates in the contract', () => {
  it('accepts real dates and refuses impossible ones', () => {
    for (const ok of ['2024-02-29', '2026-12-31', '1950-01-01']) expect(isoDateSchema.safeParse(ok).success).toBe(true);
    for (const bad of ['2026-02-30', '2025-02-29', '9999-99-99', '2026-13-01', '2026-00-10', '2026-1-1', '1800-01-01', ''])
      expect(isoDateSchema.safeParse(bad).success).toBe(false);
    expect(deskDate.safeParse('2026-02-30').success).toBe(false);
  });

  it('an impossible date in a method’s arguments is refused, naming the field', () => {
    const r = API['timetables.addException'].args.safeParse({ doctorId: 1, kind: 'sick', from: '2026-02-30', to: '2026-03-01' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain('from');
    const price = API['prices.set'].args.safeParse({ serviceId: 'tb-certificate', feeKzt: 1000, effectiveFrom: '9999-99-99' });
    expect(price.success).toBe(false);
  });
});
