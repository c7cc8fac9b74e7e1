import { ref } from 'vue';
import { errorText } from '../errors';

/**
 * One action at a time on a screen: a second click while the first call runs does nothing, and a failure is shown
 * in the user's language instead of thrown.
 */
export function useBusyAction() {
  const busy = ref(false);
  const error = ref('');
  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (busy.value) return undefined;
    busy.value = true;
    error.value = '';
    try {
      return await fn();
    } catch (e) {
      error.value = errorText(e);
      return undefined;
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, run };
}
