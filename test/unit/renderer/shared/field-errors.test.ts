/** useFieldErrors: a refusal marked on the fields it names, each control described by its own message. */
import '../browser-globals';
import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../../renderer/src/api/client';
import { i18n } from '../../../../renderer/src/i18n';
import { useFieldErrors } from '../../../../renderer/src/shared/field-errors';

i18n.global.locale.value = 'ru';
const MAP = { doctorId: 'doctor', windowFrom: 'when', windowTo: 'when', address: 'address' };

describe('useFieldErrors', () => {
  it('gives a control aria-invalid and the id of its message only while it has one', () => {
    const errors = useFieldErrors('hv');
    expect(errors.attrs('doctor')).toEqual({});
    errors.set('doctor', 'Выберите врача.');
    expect(errors.attrs('doctor')).toEqual({ 'aria-invalid': 'true', 'aria-describedby': 'hv-doctor-error' });
    expect(errors.list.value).toEqual([{ field: 'doctor', message: 'Выберите врача.' }]);
    errors.clear('doctor');
    expect(errors.attrs('doctor')).toEqual({});
    expect(errors.list.value).toEqual([]);
  });

  it('places a bare validation on the named fields (arguments mapped to fields) and says the sentence may go', () => {
    const errors = useFieldErrors('hv');
    const refusal = new ApiCallError({ code: 'validation', message: 'bad', fields: ['windowFrom', 'windowTo', 'doctorId'] });
    expect(errors.place(refusal, MAP)).toBe(true);
    expect(Object.keys(errors.messages).sort()).toEqual(['doctor', 'when']);
    expect(errors.messages.when).toBe('Проверьте это поле.');
  });

  it('keeps the sentence when a named argument has no field on the form, or the refusal says why', () => {
    const errors = useFieldErrors('hv');
    expect(errors.place(new ApiCallError({ code: 'validation', message: 'bad', fields: ['address', 'startedAt'] }), MAP)).toBe(false);
    expect(Object.keys(errors.messages)).toEqual(['address']);
    errors.clear();
    // A login taken: the field gets the reason itself, and the summary keeps it.
    const taken = new ApiCallError({ code: 'conflict', message: 'this login is taken', fields: ['address'] });
    expect(errors.place(taken, MAP)).toBe(false);
    expect(errors.messages.address).toMatch(/\S/);
    expect(errors.messages.address).not.toBe('Проверьте это поле.');
  });

  it('places nothing for an error that is not a refusal of the API', () => {
    const errors = useFieldErrors('hv');
    expect(errors.place(new Error('network'), MAP)).toBe(false);
    expect(errors.place(new ApiCallError({ code: 'not-found', message: 'x' }), MAP)).toBe(false);
    expect(errors.list.value).toEqual([]);
  });
});
