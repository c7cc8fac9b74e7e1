// @vitest-environment happy-dom
/**
 * The project's time field (renderer/src/components/TimeField.vue): 24-hour HH:MM in every language, typed as
 * digits, arrows step the hour or the minutes on their grid, a wrong time is said next to the field.
 */
import { describe, expect, it } from 'vitest';
import TimeField from '../../../../renderer/src/components/TimeField.vue';
import { i18n } from '../../../../renderer/src/i18n';
import { fieldScreen, typeKeys } from './typed-field-screen';

const screen = fieldScreen(TimeField, 'from');

describe('TimeField', () => {
  it('takes 930 as 09:30 and gives the screen HH:MM; never AM/PM, in English too', async () => {
    i18n.global.locale.value = 'en';
    const s = screen('', { label: 'From' });
    await typeKeys(s.input(), '930');
    expect(s.input().element.value).toBe('09:30');
    expect(s.model.value).toBe('09:30');
    s.model.value = '18:45';
    await s.wrapper.vm.$nextTick();
    expect(s.input().element.value).toBe('18:45');
    expect(s.input().attributes('placeholder')).toBe('hh:mm');
  });

  it('steps the minutes by its step onto the quarter hours, and the hour under the caret', async () => {
    const s = screen('10:07', { step: 15 });
    const el = s.input().element;
    el.setSelectionRange(5, 5);
    await s.input().trigger('keydown', { key: 'ArrowUp' });
    expect(s.model.value).toBe('10:15');
    await s.input().trigger('keydown', { key: 'ArrowUp' });
    expect(s.model.value).toBe('10:30');
    el.setSelectionRange(1, 1);
    await s.input().trigger('keydown', { key: 'ArrowDown' });
    expect(s.model.value).toBe('09:30');
    expect(el.value).toBe('09:30');
  });

  it('leaves Alt/Ctrl+arrows to the screen (a screen’s own shortcuts)', async () => {
    const s = screen('10:00');
    await s.input().trigger('keydown', { key: 'ArrowUp', ctrlKey: true });
    expect(s.model.value).toBe('10:00');
  });

  it('says an impossible time with the field’s aria-label when it has no visible label', async () => {
    i18n.global.locale.value = 'ru';
    const s = screen('09:00', { 'aria-label': 'Начало' });
    await s.input().setValue('25:00');
    expect(s.model.value).toBe('');
    expect(s.input().attributes('aria-invalid')).toBe('true');
    expect(s.wrapper.get('[data-test="field-error"]').text()).toBe('Начало: такого времени нет (00:00–23:59)');
    await s.input().setValue('');
    expect(s.wrapper.find('[data-test="field-error"]').exists()).toBe(false);
  });

  it('passes disabled and name through to its input', () => {
    const s = screen('09:00', { disabled: true, name: 'weekdaysOpen' });
    expect(s.input().attributes('disabled')).toBeDefined();
    expect(s.input().attributes('name')).toBe('weekdaysOpen');
  });

  it('is a numeric text input of five characters in a span the styles know', () => {
    const input = screen('09:00').input();
    expect(input.attributes()).toMatchObject({ maxlength: '5', inputmode: 'numeric', type: 'text' });
    expect(input.element.parentElement?.className).toBe('typed-field time-field');
  });
});
