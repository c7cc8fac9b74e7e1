/**
 * The host screen the date and time field tests mount their field in (date-field.test.ts, time-field.test.ts):
 * the field on a v-model as the forms have it, with the i18n plugin, in the document (focus and caret work), and
 * unmounted after each test, the language back to Kazakh.
 */
import { mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { afterEach } from 'vitest';
import { defineComponent, h, ref, type Component } from 'vue';
import { i18n } from '../../../../renderer/src/i18n';

/**
 * Returns `screen(initial, props)`, which mounts `field` with `props` over `defaults` and gives the screen's
 * `model` (what the screen holds) and its `input` (found by `dataTest`). Call at the top of a test file.
 */
export function fieldScreen(field: Component, dataTest: string, defaults: Record<string, unknown> = {}) {
  const mounted: VueWrapper[] = [];
  afterEach(() => {
    mounted.splice(0).forEach((w) => w.unmount());
    i18n.global.locale.value = 'kk';
  });
  return (initial = '', props: Record<string, unknown> = {}) => {
    const model = ref(initial);
    const Host = defineComponent({
      setup: () => () =>
        h(field, {
          modelValue: model.value,
          'onUpdate:modelValue': (v: string) => (model.value = v),
          'data-test': dataTest,
          ...defaults,
          ...props,
        }),
    });
    const wrapper = mount(Host, { global: { plugins: [i18n] }, attachTo: document.body });
    mounted.push(wrapper);
    return { wrapper, model, input: () => wrapper.get<HTMLInputElement>(`input[data-test="${dataTest}"]`) };
  };
}

/** Types at the end of the field one key at a time (`input`: what `get` gives). */
export async function typeKeys(input: Omit<DOMWrapper<HTMLInputElement>, 'exists'>, keys: string) {
  for (const key of keys) {
    const el = input.element;
    el.value += key;
    el.setSelectionRange(el.value.length, el.value.length);
    await input.trigger('input');
  }
}
