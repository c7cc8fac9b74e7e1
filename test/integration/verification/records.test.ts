/**
 * Issue 19: a document's verification record on the workstation. The code is 16 characters of Crockford's base32
 * from the cryptographic generator (never the same twice, nothing to do with the number); the outbox carries only
 * its hash; an HIV certificate's record can name no one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { codeHashInput, type DocumentShows, type VerificationPayload } from '../../../common/verification';
import { SYSTEM_ACTOR } from '../../../db/audit';
import { listOutbox } from '../../../db/outbox';
import { getVerification } from '../../../db/verifications';
import { documentVerification, newVerificationCode } from '../../../electron/services/verification/records';
import { createTestWorkstation, type TestWorkstation } from '../../helpers/app';

let ws: TestWorkstation;
beforeAll(() => {
  ws = createTestWorkstation({ population: 5 });
});
afterAll(() => ws?.close());

const shows = (over: Partial<DocumentShows> = {}): DocumentShows => ({
  title: { kk: 'Анықтама', ru: 'Справка' },
  person: null,
  iin: null,
  anonymousCode: null,
  organization: { bin: '120140001011', name: { kk: 'Емхана', ru: 'Поликлиника' } },
  issuedOn: '2026-12-01',
  lines: [],
  signers: [],
  ...over,
});

describe('verification records', () => {
  it('draws 80 random bits per code in Crockford’s alphabet', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => newVerificationCode()));
    expect(codes.size).toBe(2000);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
  });

  it('keeps the code at the desk and sends only its hash; a re-print keeps the code', () => {
    const mark = documentVerification(ws.app, SYSTEM_ACTOR, {
      number: 'D1-C000001',
      kind: 'dispensary-certificate',
      shows: shows({ person: 'Омаров Е.' }),
      issuedAt: '2026-12-01T05:00:00.000Z',
    });
    expect(mark.url).toBe(`/v/D1-C000001/${mark.code}`); // not enrolled: the path alone
    expect(
      documentVerification(ws.app, SYSTEM_ACTOR, {
        number: 'D1-C000001',
        kind: 'dispensary-certificate',
        shows: shows(),
        issuedAt: '2026-12-02',
      }).code,
    ).toBe(mark.code);
    const op = listOutbox(ws.app.db).find((o) => o.entityId === 'D1-C000001')!;
    const payload = op.payload as VerificationPayload;
    expect(JSON.stringify(payload)).not.toContain(mark.code);
    expect(payload.codeHash).toBe(createHash('sha256').update(codeHashInput('D1-C000001', mark.code)).digest('hex'));
  });

  it('refuses to name the person of an HIV certificate, and stores none', () => {
    const base = { number: 'D1-C000002', kind: 'hiv-certificate' as const, issuedAt: '2026-12-01T05:00:00.000Z' };
    expect(() => documentVerification(ws.app, SYSTEM_ACTOR, { ...base, shows: shows({ person: 'Жасырынбаев Б.' }) })).toThrow(
      /must not name/,
    );
    expect(() => documentVerification(ws.app, SYSTEM_ACTOR, { ...base, shows: shows(), personIin: '950708300441' })).toThrow(
      /must not name/,
    );
    documentVerification(ws.app, SYSTEM_ACTOR, { ...base, shows: shows({ anonymousCode: 'A-7K3M' }) });
    expect(getVerification(ws.app.db, 'D1-C000002')).toMatchObject({ person_iin: null, kind: 'hiv-certificate' });
  });
});
