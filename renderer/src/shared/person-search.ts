import { computed, ref, watch } from 'vue';
import { parseIin } from '../../../common/iin';
import type { Person } from '../../../common/schemas';
import { call } from '../api/client';
import { errorText } from '../errors';
import { i18n } from '../i18n';

/**
 * Finding a person as the user types, shared by the person search screen and the desk's person picker: twelve
 * digits are an IIN (checked here, then looked up exactly), anything else is a name (or IIN prefix) search. Only
 * the answer to the latest keystroke counts: answers that arrive late for an older query are dropped.
 */
export interface PersonSearchOptions {
  /** How many matches a name search asks for. */
  limit: number;
  /** Shorter names are not searched (the picker waits for two letters). */
  minNameLength?: number;
  /** Fewer than twelve digits: search them as an IIN prefix (true) or wait for the whole IIN (false). */
  searchIinPrefix?: boolean;
  /** Keep the previous matches on screen until the new answer arrives (no flicker while typing). */
  keepResultsWhileTyping?: boolean;
  /** The answer to a full IIN: the person, or null when nobody has it. */
  onIin?: (person: Person | null) => void;
}

export type NotFound = 'iin' | 'name' | null;

export function usePersonSearch(options: PersonSearchOptions) {
  const query = ref('');
  const results = ref<Person[]>([]);
  const more = ref(false);
  /** The highlighted match (↑↓ move it, Enter takes it). */
  const active = ref(0);
  const notFound = ref<NotFound>(null);
  /** A failed call, in the user's language. */
  const error = ref('');
  let seq = 0;

  const trimmed = computed(() => query.value.trim());
  const digits = computed(() => /^\d+$/.test(trimmed.value));
  const iinCheck = computed(() => (digits.value && trimmed.value.length >= 12 ? parseIin(trimmed.value) : null));
  /** Why twelve typed digits are not an IIN (the check digit, the date…), in the user's language. */
  const iinProblem = computed(() => (iinCheck.value && !iinCheck.value.valid ? i18n.global.t(`iin.${iinCheck.value.reason}`) : ''));

  async function search() {
    const q = trimmed.value;
    const my = ++seq;
    error.value = '';
    notFound.value = null;
    if (!options.keepResultsWhileTyping) results.value = [];
    if (!q) {
      results.value = [];
      more.value = false;
      return;
    }
    const iin = digits.value && q.length >= 12;
    if (digits.value && !iin && !options.searchIinPrefix) return;
    if (!iin && q.length < (options.minNameLength ?? 1)) return;
    try {
      if (iin) {
        results.value = [];
        if (iinProblem.value) return;
        const person = await call('people.findByIin', { iin: q });
        if (my !== seq) return;
        notFound.value = person ? null : 'iin';
        options.onIin?.(person);
        return;
      }
      const res = await call('people.search', { query: q, limit: options.limit });
      if (my !== seq) return;
      results.value = res.people;
      more.value = res.more;
      active.value = 0;
      notFound.value = res.people.length === 0 && !digits.value ? 'name' : null;
    } catch (e) {
      if (my === seq) error.value = errorText(e);
    }
  }
  watch(query, () => void search());

  /** Moves the highlight by `step` within the matches (no wrap-around). */
  function move(step: number) {
    active.value = Math.max(0, Math.min(active.value + step, results.value.length - 1));
  }

  return { query, results, more, active, notFound, error, digits, iinProblem, move };
}
