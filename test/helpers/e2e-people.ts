/**
 * The people the browser tests serve, found in the population register as a registrar would find them: one
 * fixture, so every screen test greets the same Dinara at the same address and phone.
 */
import { makeIin } from '../../common/iin';
import type { Db } from '../../db/connection';
import { upsertPerson } from '../../db/people';

export const DINARA = makeIin('1985-03-01', 'F', 11);
export const DINARA_PHONE = '+7 701 555 12 12';

/** Қасымова Динара Маратқызы, Тұран д-лы 12 (in district 1 of the demo clinic). */
export function seedDinara(db: Db, at: Date): void {
  upsertPerson(
    db,
    {
      iin: DINARA,
      surname: 'Қасымова',
      givenName: 'Динара',
      patronymic: 'Маратқызы',
      birthDate: '1985-03-01',
      sex: 'F',
      address: 'Астана қ., Тұран д-лы, 12-үй, 4-пәтер',
      phone: DINARA_PHONE,
      source: 'register',
    },
    at,
  );
}
