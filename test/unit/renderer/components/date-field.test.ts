// @vitest-environment happy-dom
/**
 * The project's date field (renderer/src/components/DateField.vue) mounted as a screen uses it: typed digits
 * become dd.mm.yyyy, the model gets ISO, arrows step, a wrong date is said next to the field with its label.
 */
import { describe, expect, it } from 'vitest';
import DateField from '../../../../renderer/src/components/DateField.vue';
import { i18n } from '../../../../renderer/src/i18n';
import { fieldScreen, typeKeys } from './typed-field-screen';

/** A screen with one date field on a v-model, as the desk's forms have; `model` is what the screen holds. */
const screen = fieldScreen(DateField, 'visit-date', { label: 'Күні' });

describe('DateField', () => {
  it('shows the model as dd.mm.yyyy in Kazakh and Russian, dd/mm/yyyy in English, and follows a change', async () => {
    i18n.global.locale.value = 'kk';
    const s = screen('2026-12-01');
    expect(s.input().element.value).toBe('01.12.2026');
    expect(s.input().attributes('placeholder')).toBe('кк.аа.жжжж');
    expect(s.input().attributes('type')).toBe('text');
    i18n.global.locale.value = 'en';
    await s.wrapper.vm.$nextTick();
    expect(s.input().element.value).toBe('01/12/2026');
    s.model.value = '2027-01-15';
    await s.wrapper.vm.$nextTick();
    expect(s.input().element.value).toBe('15/01/2027');
  });

  it('takes 01122026 and 1.12.2026 typed key by key, and gives the screen ISO only when the date is whole', async () => {
    const s = screen();
    await typeKeys(s.input(), '011220');
    expect(s.input().element.value).toBe('01.12.20');
    expect(s.model.value).toBe('');
    await typeKeys(s.input(), '26');
    expect(s.input().element.value).toBe('01.12.2026');
    expect(s.model.value).toBe('2026-12-01');

    await s.input().setValue('');
    expect(s.model.value).toBe('');
    await typeKeys(s.input(), '1.12.2026');
    expect(s.input().element.value).toBe('01.12.2026');
    expect(s.model.value).toBe('2026-12-01');
  });

  it('moves the day, month or year under the caret with ↑ and ↓', async () => {
    const s = screen('2026-12-31');
    const el = s.input().element;
    el.setSelectionRange(1, 1);
    await s.input().trigger('keydown', { key: 'ArrowUp' });
    expect(s.model.value).toBe('2027-01-01');
    expect(el.value).toBe('01.01.2027');
    el.setSelectionRange(4, 4);
    await s.input().trigger('keydown', { key: 'ArrowDown' });
    expect(s.model.value).toBe('2026-12-01');
    el.setSelectionRange(10, 10);
    await s.input().trigger('keydown', { key: 'ArrowUp' });
    expect(s.model.value).toBe('2027-12-01');
  });

  it('does not step below min, and starts an empty field at min', async () => {
    const s = screen('', { min: '2026-12-06' });
    await s.input().trigger('keydown', { key: 'ArrowDown' });
    expect(s.model.value).toBe('2026-12-06');
    s.input().element.setSelectionRange(0, 0);
    await s.input().trigger('keydown', { key: 'ArrowDown' });
    expect(s.model.value).toBe('2026-12-06');
  });

  it('says a day the calendar does not have next to the field, with its label, and clears it once corrected', async () => {
    const s = screen('2026-12-01');
    // Typed over a valid date: the screen no longer holds the old one (a native date input gives '' too).
    await s.input().setValue('31022026');
    expect(s.input().element.value).toBe('31.02.2026');
    expect(s.model.value).toBe('');
    const input = s.input();
    expect(input.attributes('aria-invalid')).toBe('true');
    const error = s.wrapper.get('[data-test="field-error"]');
    expect(input.attributes('aria-describedby')).toBe(error.attributes('id'));
    expect(error.attributes('role')).toBe('alert');
    expect(error.text()).toBe('Күні: күнтізбеде мұндай күн жоқ');

    await s.input().setValue('28.02.2026');
    expect(s.model.value).toBe('2026-02-28');
    expect(s.wrapper.find('[data-test="field-error"]').exists()).toBe(false);
    expect(s.input().attributes('aria-invalid')).toBeUndefined();
  });

  it('says an unfinished date only when the user leaves it, in the user’s language', async () => {
    i18n.global.locale.value = 'ru';
    const s = screen();
    await typeKeys(s.input(), '0112');
    expect(s.wrapper.find('[data-test="field-error"]').exists()).toBe(false);
    await s.input().trigger('blur');
    expect(s.wrapper.get('[data-test="field-error"]').text()).toBe('Күні: введите дату в виде дд.мм.гггг');
    expect(s.model.value).toBe('');
  });

  it('warns of a day before min but keeps it, so the service can name its own rule', async () => {
    const s = screen('', { min: '2026-12-06' });
    await typeKeys(s.input(), '05122026');
    expect(s.model.value).toBe('2026-12-05');
    expect(s.wrapper.get('[data-test="field-error"]').text()).toBe('Күні: 06.12.2026 күнінен ерте болмауы керек');
  });

  it('is a numeric text input of ten characters in a span the styles know, with the attributes it was given', () => {
    const s = screen('', { class: 'wide', name: 'visitDate' });
    const input = s.input();
    expect(input.attributes()).toMatchObject({ maxlength: '10', inputmode: 'numeric', class: 'wide', name: 'visitDate' });
    expect(input.element.parentElement?.className).toBe('typed-field date-field');
  });
});
