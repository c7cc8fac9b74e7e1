// @vitest-environment happy-dom
/**
 * useBusyAction (renderer/src/shared/busy-action.ts) in a mounted component, as the screens use it: the button is
 * disabled while the call runs, a double click calls once, a failure is shown in the user's language and the
 * button works again. The call goes through the API client and the preload bridge (`window.tirkeu`).
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { call } from '../../../../renderer/src/api/client';
import { i18n } from '../../../../renderer/src/i18n';
import { useBusyAction } from '../../../../renderer/src/shared/busy-action';

/** Bridge answers the test releases when it wants to. */
let pending: Array<(answer: unknown) => void> = [];
beforeEach(() => {
  pending = [];
  (window as unknown as { tirkeu: unknown }).tirkeu = { call: () => new Promise((resolve) => pending.push(resolve)) };
  i18n.global.locale.value = 'kk';
});
const mounted: VueWrapper[] = [];
afterEach(() => mounted.splice(0).forEach((w) => w.unmount()));

/** A screen with one "close the shift" button, as the cash desk has. */
const Screen = defineComponent({
  setup() {
    const { busy, error, run } = useBusyAction();
    const close = () => run(() => call('cash.closeShift', {}));
    return () =>
      h('div', [
        h('button', { 'data-test': 'close', disabled: busy.value, onClick: close }, 'close'),
        error.value ? h('p', { role: 'alert', 'data-test': 'error' }, error.value) : null,
      ]);
  },
});
function screen() {
  const w = mount(Screen, { global: { plugins: [i18n] }, attachTo: document.body });
  mounted.push(w);
  return w;
}

describe('useBusyAction in a component', () => {
  it('disables the button while the call runs; a second click meanwhile calls nothing', async () => {
    const w = screen();
    const button = w.get('[data-test="close"]');
    await button.trigger('click');
    expect(button.attributes('disabled')).toBeDefined();
    // The second click of a fast double click lands on the disabled button (run() ignores it too: shared/busy-action.test.ts).
    await button.trigger('click');
    expect(pending).toHaveLength(1);
    pending[0]!({ ok: true, value: null });
    await flushPromises();
    expect(button.attributes('disabled')).toBeUndefined();
    expect(w.find('[data-test="error"]').exists()).toBe(false);
  });

  it('shows a failure in the user’s language and lets the user try again, clearing the message', async () => {
    const w = screen();
    const button = w.get('[data-test="close"]');
    await button.trigger('click');
    pending[0]!({ ok: false, error: { code: 'not-found', message: 'shift 4 not found' } });
    await flushPromises();
    expect(w.get('[data-test="error"]').text()).toBe(i18n.global.t('errors.not-found'));
    expect(w.get('[data-test="error"]').text()).not.toContain('shift 4');
    expect(button.attributes('disabled')).toBeUndefined();

    await button.trigger('click');
    expect(w.find('[data-test="error"]').exists()).toBe(false);
    expect(pending).toHaveLength(2);
  });
});
