import { ref, type Ref } from 'vue';
import { errorText } from '../errors';

/**
 * What a screen shows from one API call (a queue, a journal page, a week, the staff list): loaded when the screen
 * opens and loaded again after a change, on a timer or on F5. Screens repeated the same few lines for it; this is
 * the one copy, with two rules they did not all keep:
 * - when loads overlap (the 30-second timer and a keystroke), only the latest one's answer is shown;
 * - a load that succeeds clears the error a previous one left, a load that fails keeps the data already shown.
 *
 * A screen with one message line for its loads and its actions passes its own `error` ref. `onLoaded` runs with
 * each answer that is shown (to note the time it was loaded, to pick a first row…).
 */
export interface LoadedOptions<T> {
  error?: Ref<string>;
  onLoaded?: (data: T) => void;
}

export interface Loaded<T, A extends unknown[]> {
  data: Ref<T>;
  /** True while the latest load runs. */
  loading: Ref<boolean>;
  error: Ref<string>;
  /** Loads (again); the arguments go to the fetch function. */
  load(...args: A): Promise<void>;
}

export function useLoaded<T, A extends unknown[] = []>(
  fetch: (...args: A) => Promise<T>,
  initial: T,
  options: LoadedOptions<T> = {},
): Loaded<T, A> {
  const data = ref(initial) as Ref<T>;
  const loading = ref(false);
  const error = options.error ?? ref('');
  let seq = 0;

  async function load(...args: A): Promise<void> {
    const my = ++seq;
    loading.value = true;
    try {
      const value = await fetch(...args);
      if (my !== seq) return;
      data.value = value;
      error.value = '';
      options.onLoaded?.(value);
    } catch (e) {
      if (my === seq) error.value = errorText(e);
    } finally {
      if (my === seq) loading.value = false;
    }
  }

  return { data, loading, error, load };
}
