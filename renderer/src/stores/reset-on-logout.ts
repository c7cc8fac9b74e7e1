import { createPinia, type Pinia, type PiniaPluginContext } from 'pinia';
import { isRef, toRaw } from 'vue';

/**
 * A desk computer is shared: one registrar logs out, the next logs in at the same window. Everything a Pinia store
 * holds (the session, the cached desk overview, an open PDF preview…) must be gone by then. Setup stores have no
 * `$reset` of their own, so this plugin notes each store's state as it was created, gives the store a `$reset`
 * back to it, and `resetAllStores` calls it on every store of the window. The session store does that at logout.
 * A new store needs nothing for it, as long as all its state is in the refs it returns (Pinia's rule anyway).
 */
type Resettable = { $reset(): void };

const storesOf = new WeakMap<Pinia, Set<Resettable>>();

/** A deep copy of plain state (objects, arrays, primitives); class instances (a Date, a File) are kept as they are. */
function copyState<T>(value: T): T {
  const v: unknown = isRef(value) ? value.value : value;
  if (Array.isArray(v)) return v.map((x) => copyState(x)) as T;
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(toRaw(v)) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyState(x)])) as T;
  }
  return v as T;
}

export function resetOnLogoutPlugin({ pinia, store }: PiniaPluginContext): void {
  const initial = copyState(store.$state);
  store.$reset = () => store.$patch((state) => Object.assign(state, copyState(initial)));
  const stores = storesOf.get(pinia) ?? new Set<Resettable>();
  stores.add(store);
  storesOf.set(pinia, stores);
}

/** Puts every store created in this Pinia back to its initial state. */
export function resetAllStores(pinia: Pinia): void {
  for (const store of storesOf.get(pinia) ?? []) store.$reset();
}

/** The window's Pinia, with the reset installed (main.ts and the tests use this, never a bare `createPinia`). */
export function createAppPinia(): Pinia {
  return createPinia().use(resetOnLogoutPlugin);
}
