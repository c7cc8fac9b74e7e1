/**
 * usePersonSearch, as the person search screen and the desk's person picker use it: an IIN is checked, then looked
 * up exactly; a name is searched; only the answer to the latest keystroke counts.
 */
import '../browser-globals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, type EffectScope } from 'vue';
import type { ApiResult } from '../../../../common/api';
import { makeIin } from '../../../../common/iin';
import type { Person } from '../../../../common/schemas';
import { ApiCallError, call } from '../../../../renderer/src/api/client';
import { i18n } from '../../../../renderer/src/i18n';
import { usePersonSearch, type PersonSearchOptions } from '../../../../renderer/src/shared/person-search';

vi.mock('../../../../renderer/src/api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../../renderer/src/api/client')>()),
  call: vi.fn(),
}));

i18n.global.locale.value = 'en';

const DINARA = makeIin('1985-03-01', 'F', 11);
const person = (iin: string, surname: string): Person =>
  ({
    iin,
    surname,
    givenName: 'Динара',
    patronymic: null,
    birthDate: '1985-03-01',
    sex: 'F',
    address: null,
    phone: null,
    source: 'register',
  }) as Person;

/** Answers the test releases one by one, to play out-of-order arrivals. */
type Pending = { method: string; args: Record<string, unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };
let pending: Pending[] = [];
const mockedCall = vi.mocked(call);
beforeEach(() => {
  pending = [];
  mockedCall.mockReset();
  mockedCall.mockImplementation(
    ((method: string, args: Record<string, unknown>) =>
      new Promise((resolve, reject) => pending.push({ method, args, resolve, reject }))) as unknown as typeof call,
  );
});

let scope: EffectScope;
afterEach(() => scope?.stop());
function search(options: PersonSearchOptions) {
  scope = effectScope();
  return scope.run(() => usePersonSearch(options))!;
}

/** Lets the watcher run and any released answers land. */
const settle = async () => {
  await nextTick();
  await new Promise((r) => setTimeout(r, 0));
};
const found = (people: Person[], more = false): ApiResult<'people.search'> => ({ people, more });

describe('usePersonSearch', () => {
  it('looks a full IIN up exactly and hands the answer over; nobody with it is "not found by IIN"', async () => {
    const onIin = vi.fn();
    const s = search({ limit: 20, onIin });
    s.query.value = ` ${DINARA} `;
    await settle();
    expect(pending.map((p) => [p.method, p.args])).toEqual([['people.findByIin', { iin: DINARA }]]);
    pending[0]!.resolve(person(DINARA, 'Қасымова'));
    await settle();
    expect(onIin).toHaveBeenLastCalledWith(expect.objectContaining({ iin: DINARA }));
    expect(s.notFound.value).toBeNull();

    const missing = makeIin('2001-05-05', 'M', 77);
    s.query.value = missing;
    await settle();
    pending[1]!.resolve(null);
    await settle();
    expect(onIin).toHaveBeenLastCalledWith(null);
    expect(s.notFound.value).toBe('iin');
  });

  it('explains an IIN with a wrong check digit and does not look it up', async () => {
    const s = search({ limit: 20 });
    s.query.value = DINARA.slice(0, 11) + String((Number(DINARA[11]) + 1) % 10);
    await settle();
    expect(pending).toEqual([]);
    expect(s.iinProblem.value).toBe(i18n.global.t('iin.checksum'));
    s.query.value = DINARA;
    expect(s.iinProblem.value).toBe('');
  });

  it('searches a name, shows the matches with the first highlighted, and says when there are none', async () => {
    const s = search({ limit: 8 });
    s.query.value = 'кас';
    await settle();
    expect(pending[0]).toMatchObject({ method: 'people.search', args: { query: 'кас', limit: 8 } });
    s.active.value = 3;
    pending[0]!.resolve(found([person(DINARA, 'Қасымова'), person(makeIin('1990-01-01', 'M', 5), 'Қасымов')], true));
    await settle();
    expect(s.results.value.map((p) => p.surname)).toEqual(['Қасымова', 'Қасымов']);
    expect(s.more.value).toBe(true);
    expect(s.active.value).toBe(0);
    expect(s.notFound.value).toBeNull();

    s.query.value = 'zzz';
    await settle();
    pending[1]!.resolve(found([]));
    await settle();
    expect(s.notFound.value).toBe('name');
  });

  it('shows only the answer to the latest keystroke, whatever order the answers arrive in', async () => {
    const s = search({ limit: 8 });
    s.query.value = 'қа';
    await settle();
    s.query.value = 'қас';
    await settle();
    pending[1]!.resolve(found([person(DINARA, 'Қасымова')]));
    await settle();
    pending[0]!.resolve(found([person(makeIin('1970-07-07', 'M', 3), 'Қаженов')]));
    await settle();
    expect(s.results.value.map((p) => p.surname)).toEqual(['Қасымова']);
  });

  it("shows a failed search in the user's language, but not the failure of an older one", async () => {
    const s = search({ limit: 8 });
    s.query.value = 'қа';
    await settle();
    s.query.value = 'қас';
    await settle();
    pending[0]!.reject(new ApiCallError({ code: 'storage', message: 'x' }));
    await settle();
    expect(s.error.value).toBe('');
    pending[1]!.reject(new ApiCallError({ code: 'storage', message: 'x' }));
    await settle();
    expect(s.error.value).toBe(i18n.global.t('errors.storage'));
  });

  it('the picker: waits for two letters and for the whole IIN, and clears old matches at once', async () => {
    const s = search({ limit: 8, minNameLength: 2 });
    s.query.value = 'қ';
    await settle();
    s.query.value = '8503';
    await settle();
    expect(pending).toEqual([]);
    s.query.value = 'қас';
    await settle();
    pending[0]!.resolve(found([person(DINARA, 'Қасымова')]));
    await settle();
    expect(s.results.value).toHaveLength(1);
    s.query.value = 'қасы';
    await settle();
    expect(s.results.value).toEqual([]);
  });

  it('the search screen: searches an IIN prefix too, and keeps the matches shown until the new answer', async () => {
    const s = search({ limit: 20, searchIinPrefix: true, keepResultsWhileTyping: true });
    s.query.value = '8503';
    await settle();
    expect(pending[0]).toMatchObject({ method: 'people.search', args: { query: '8503', limit: 20 } });
    pending[0]!.resolve(found([person(DINARA, 'Қасымова')]));
    await settle();
    expect(s.notFound.value).toBeNull();
    s.query.value = '85030';
    await settle();
    expect(s.results.value).toHaveLength(1);
    pending[1]!.resolve(found([]));
    await settle();
    expect(s.results.value).toEqual([]);
    expect(s.notFound.value).toBeNull(); // digits that match nobody are not "no such name"
  });

  it('an emptied field clears everything without a call', async () => {
    const s = search({ limit: 20, keepResultsWhileTyping: true });
    s.query.value = 'қас';
    await settle();
    pending[0]!.resolve(found([person(DINARA, 'Қасымова')], true));
    await settle();
    s.query.value = '  ';
    await settle();
    expect(pending).toHaveLength(1);
    expect(s.results.value).toEqual([]);
    expect(s.more.value).toBe(false);
  });

  it('moves the highlight within the matches, without wrapping', async () => {
    const s = search({ limit: 8 });
    s.query.value = 'қас';
    await settle();
    pending[0]!.resolve(
      found([person(DINARA, 'A'), person(makeIin('1990-01-01', 'M', 5), 'B'), person(makeIin('1991-01-01', 'M', 5), 'C')]),
    );
    await settle();
    s.move(1);
    s.move(1);
    s.move(1);
    expect(s.active.value).toBe(2);
    s.move(-5);
    expect(s.active.value).toBe(0);
  });
});
