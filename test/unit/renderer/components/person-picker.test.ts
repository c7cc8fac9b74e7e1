// @vitest-environment happy-dom
/**
 * The desk's person search list (renderer/src/desk/PersonPicker.vue on renderer/src/shared/person-search.ts),
 * mounted with its router and i18n. The main process is played by the preload bridge (`window.tirkeu`), the one
 * door the renderer has to it, so the screen's own code (the API client, the search) runs unchanged.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { makeIin } from '../../../../common/iin';
import type { Person } from '../../../../common/schemas';
import PersonPicker from '../../../../renderer/src/desk/PersonPicker.vue';
import { i18n } from '../../../../renderer/src/i18n';

const DINARA = makeIin('1985-03-01', 'F', 11);
const ASKAR = makeIin('1990-07-15', 'M', 5);
const person = (iin: string, surname: string, givenName: string, birthDate: string, sex: 'F' | 'M'): Person =>
  ({ iin, surname, givenName, patronymic: null, birthDate, sex, address: null, phone: null, source: 'register' }) as Person;
const PEOPLE = [person(DINARA, 'Қасымова', 'Динара', '1985-03-01', 'F'), person(ASKAR, 'Қасымов', 'Асқар', '1990-07-15', 'M')];

/** What the bridge was asked, and the people it knows. */
let calls: Array<{ method: string; args: Record<string, unknown> }> = [];
beforeEach(() => {
  calls = [];
  (window as unknown as { tirkeu: unknown }).tirkeu = {
    call: async (method: string, args: Record<string, unknown>) => {
      calls.push({ method, args });
      if (method === 'people.search') {
        const q = String(args.query).toLocaleLowerCase('kk');
        return { ok: true, value: { people: PEOPLE.filter((p) => p.surname.toLocaleLowerCase('kk').startsWith(q)), more: false } };
      }
      if (method === 'people.findByIin') return { ok: true, value: PEOPLE.find((p) => p.iin === args.iin) ?? null };
      return { ok: false, error: { code: 'internal', message: `not played here: ${method}` } };
    },
  };
  i18n.global.locale.value = 'kk';
});
const mounted: VueWrapper[] = [];
afterEach(() => mounted.splice(0).forEach((w) => w.unmount()));

async function picker() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { render: () => null } },
      { path: '/people', component: { render: () => null } },
    ],
  });
  await router.push('/');
  const wrapper = mount(PersonPicker, { global: { plugins: [i18n, router, createPinia()] }, attachTo: document.body });
  mounted.push(wrapper);
  return wrapper;
}
/** Lets the search's watcher run and the bridge answer. */
const settle = async () => {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 0));
  await flushPromises();
};

describe('PersonPicker', () => {
  it('lists the matches of a name, moves the highlight with ↑↓ and takes one with Enter', async () => {
    const w = await picker();
    const input = w.get('input[data-test="desk-person"]');
    await input.setValue('Қасым');
    await settle();
    expect(calls).toEqual([{ method: 'people.search', args: { query: 'Қасым', limit: 8 } }]);
    const options = () => w.findAll('[data-test="picker-results"] [role="option"]');
    expect(options().map((o) => o.find('.name').text())).toEqual(['Қасымова Динара', 'Қасымов Асқар']);
    expect(options().map((o) => o.attributes('aria-selected'))).toEqual(['true', 'false']);
    // The birth date as Kazakh writes dates (common/format.ts), never ISO.
    expect(options()[1]!.text()).toContain('15.07.1990');

    await input.trigger('keydown', { key: 'ArrowDown' });
    expect(options().map((o) => o.attributes('aria-selected'))).toEqual(['false', 'true']);
    await input.trigger('keydown', { key: 'Enter' });
    await settle();
    expect(w.emitted('picked')!.at(-1)).toEqual([PEOPLE[1]]);
    expect(w.get('[data-test="picked"]').attributes('data-iin')).toBe(ASKAR);
    expect(w.find('[data-test="picker-results"]').exists()).toBe(false);
    expect((input.element as HTMLInputElement).value).toBe(ASKAR);
  });

  it('waits for two letters before searching a name', async () => {
    const w = await picker();
    await w.get('input[data-test="desk-person"]').setValue('Қ');
    await settle();
    expect(calls).toEqual([]);
  });

  it('picks a person by a full IIN at once, without a list', async () => {
    const w = await picker();
    await w.get('input[data-test="desk-person"]').setValue(DINARA);
    await settle();
    expect(calls.map((c) => c.method)).toEqual(['people.findByIin']);
    expect(w.emitted('picked')!.at(-1)).toEqual([PEOPLE[0]]);
    expect(w.get('[data-test="picked"]').text()).toContain('01.03.1985');
  });

  it('explains an IIN with a wrong check digit instead of looking it up', async () => {
    const w = await picker();
    const wrong = DINARA.slice(0, 11) + String((Number(DINARA[11]) + 1) % 10);
    await w.get('input[data-test="desk-person"]').setValue(wrong);
    await settle();
    expect(calls).toEqual([]);
    expect(w.get('[data-test="picker-error"]').text()).toBe(i18n.global.t('iin.checksum'));
  });

  it('says a name nobody has, and Esc clears the field and the choice', async () => {
    const w = await picker();
    const input = w.get('input[data-test="desk-person"]');
    await input.setValue('Жоқов');
    await settle();
    expect(w.get('[data-test="picker-not-found"]').text()).toContain(i18n.global.t('desk.person.notFound'));
    await input.setValue(DINARA);
    await settle();
    expect(w.find('[data-test="picked"]').exists()).toBe(true);
    await input.trigger('keydown', { key: 'Escape' });
    await settle();
    expect((input.element as HTMLInputElement).value).toBe('');
    expect(w.find('[data-test="picked"]').exists()).toBe(false);
    expect(w.emitted('picked')!.at(-1)).toEqual([null]);
  });
});
