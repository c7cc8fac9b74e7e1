import { computed, ref, watch } from 'vue';
import { partAt, type Masked, type Parsed } from './date-time-input';

/**
 * The behaviour the date field and the time field share (components/DateField.vue, TimeField.vue): the text is
 * reformatted as the user types, the model gets the ISO value, or '' while the text is not one (as a native date
 * input gives ''), and a problem is shown next to the field when the text is finished but wrong, or when the user
 * leaves an unfinished one. Range problems (before `min`) are shown but keep the value, as native inputs do, so
 * the service's own error can still name the rule.
 */
export interface TypedFieldSpec<P extends string> {
  /** The model value as the field shows it. */
  format(value: string): string;
  mask(raw: string, caret: number): Masked;
  parse(text: string): Parsed<P>;
  /** How long the finished text is (10 for dd.mm.yyyy): a wrong text that long is reported at once. */
  fullLength: number;
  /** A problem of a valid value (out of range), or null. */
  rangeProblem?(value: string): string | null;
  /** The problem's text, without the label. */
  problemText(problem: P): string;
  /** The value an arrow key leads to from `value` (or from nothing), or null for no change. */
  step(value: string | null, part: number, delta: number): string | null;
}

export function useTypedField<P extends string>(
  model: () => string | null | undefined,
  emit: (value: string) => void,
  spec: () => TypedFieldSpec<P>,
) {
  const text = ref(spec().format(model() ?? ''));
  const problem = ref('');
  /** What this field last gave the model: a model change that is not our own echo rewrites the text. */
  let given: string | null = model() ?? '';

  function give(value: string) {
    if (value === given) return;
    given = value;
    emit(value);
  }

  watch(model, (value) => {
    if ((value ?? '') === given) return;
    given = value ?? '';
    text.value = spec().format(given);
    problem.value = '';
  });
  // The language changed: the same value in the new language's format.
  watch(
    () => spec().format('2000-01-02'),
    () => {
      if (given) text.value = spec().format(given);
      if (problem.value) check(true);
    },
  );

  /** Gives the model what the text says; shows a problem when `leaving` or the text is finished. */
  function check(leaving: boolean) {
    const s = spec();
    if (text.value.trim() === '') {
      problem.value = '';
      give('');
      return;
    }
    const parsed = s.parse(text.value);
    if (parsed.ok) {
      give(parsed.value);
      problem.value = s.rangeProblem?.(parsed.value) ?? '';
      if (leaving) text.value = s.format(parsed.value);
      return;
    }
    give('');
    if (leaving || text.value.length >= s.fullLength) problem.value = s.problemText(parsed.problem);
    else if (problem.value) problem.value = ''; // being corrected: no scolding mid-keystroke
  }

  function onInput(e: Event) {
    const input = e.target as HTMLInputElement;
    const masked = spec().mask(input.value, input.selectionStart ?? input.value.length);
    if (masked.text !== input.value) {
      input.value = masked.text;
      input.setSelectionRange(masked.caret, masked.caret);
    }
    text.value = masked.text;
    check(false);
  }

  function onKeydown(e: KeyboardEvent) {
    if ((e.key !== 'ArrowUp' && e.key !== 'ArrowDown') || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    const input = e.target as HTMLInputElement;
    const caret = input.selectionStart ?? 0;
    const parsed = spec().parse(text.value);
    const from = parsed.ok ? parsed.value : text.value.trim() === '' ? null : undefined;
    if (from === undefined) return; // a wrong text is not stepped: the user corrects it first
    const part = partAt(text.value, caret);
    const next = spec().step(from, part, e.key === 'ArrowUp' ? 1 : -1);
    if (next === null) return;
    text.value = spec().format(next);
    input.value = text.value;
    input.setSelectionRange(caret, caret);
    check(false);
  }

  const invalid = computed(() => problem.value !== '');
  return { text, problem, invalid, onInput, onKeydown, onBlur: () => check(true) };
}

export type TypedField = ReturnType<typeof useTypedField>;
