/**
 * Errors next to the control that caused them (issue 16, point 4). A form keeps one message per field; each
 * control points at its message with aria-describedby and says aria-invalid, and the form shows a summary with
 * role=alert so a screen reader announces it. A refusal from the main process that names argument fields
 * (`validation` with `fields`) is placed on the form's fields by the form's own map of argument → field.
 */
import { computed, reactive, type ComputedRef } from 'vue';
import { ApiCallError } from '../api/client';
import { errorText } from '../errors';
import { i18n } from '../i18n';

export interface FieldErrors {
  /** The message of each field that has one. */
  readonly messages: Record<string, string>;
  /** The fields with a message, in the order they were set. */
  readonly list: ComputedRef<{ field: string; message: string }[]>;
  set(field: string, message: string): void;
  clear(field?: string): void;
  /**
   * Places an API error on the fields it names (argument name → field of the form). Returns true when it is a
   * bare `validation` and every field it names got its mark: then the summary's list of labels says it all and
   * the caller drops the raw sentence (which may name arguments rather than labels).
   */
  place(error: unknown, argumentToField: Record<string, string>): boolean;
  /** The id of a field's message element. */
  id(field: string): string;
  /** The attributes a control binds: `v-bind="errors.attrs('doctor')"`. */
  attrs(field: string): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string };
}

export function useFieldErrors(form: string): FieldErrors {
  const messages = reactive<Record<string, string>>({});
  const list = computed(() => Object.entries(messages).map(([field, message]) => ({ field, message })));
  const id = (field: string) => `${form}-${field}-error`;
  return {
    messages,
    list,
    set(field, message) {
      messages[field] = message;
    },
    clear(field) {
      for (const f of field === undefined ? Object.keys(messages) : [field]) delete messages[f];
    },
    place(error, argumentToField) {
      if (!(error instanceof ApiCallError)) return false;
      const paths = error.data.fields ?? [];
      // A bare `validation` says only which fields; another refusal (a login taken) says why, next to the field too.
      const generic = error.data.code === 'validation';
      let placed = 0;
      for (const path of paths) {
        // A field path is its argument's name, perhaps with a nested key after a dot.
        const field = argumentToField[path] ?? argumentToField[path.split('.')[0]!];
        if (!field) continue;
        messages[field] = generic ? i18n.global.t('forms.fieldInvalid') : errorText(error);
        placed++;
      }
      return generic && paths.length > 0 && placed === paths.length;
    },
    id,
    attrs(field) {
      return messages[field] ? { 'aria-invalid': 'true', 'aria-describedby': id(field) } : {};
    },
  };
}
