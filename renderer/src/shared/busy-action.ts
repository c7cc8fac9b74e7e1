import { ref, type Ref } from 'vue';
import { errorText } from '../errors';

/**
 * One action at a time on a screen: a second click while the first call runs does nothing, and a failure is shown
 * in the user's language instead of thrown. Every screen had this by hand (a `busy` flag, try/catch/finally, the
 * error text); this is the one copy.
 *
 * A screen that shows one message line for several sources passes its own `error` ref, so the action reports
 * into it. `onError` runs after the message is set and while the action still counts as busy: for what a failure
 * needs besides the message (reload after a conflict, refocus the PIN, a more precise text).
 */
export interface BusyAction {
  busy: Ref<boolean>;
  error: Ref<string>;
  run<T>(fn: () => Promise<T>, options?: RunOptions): Promise<T | undefined>;
}

export interface RunOptions {
  onError?: (e: unknown) => void | Promise<void>;
}

export function useBusyAction(error: Ref<string> = ref('')): BusyAction {
  const busy = ref(false);
  async function run<T>(fn: () => Promise<T>, options: RunOptions = {}): Promise<T | undefined> {
    if (busy.value) return undefined;
    busy.value = true;
    error.value = '';
    try {
      return await fn();
    } catch (e) {
      error.value = errorText(e);
      await options.onError?.(e);
      return undefined;
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, run };
}
