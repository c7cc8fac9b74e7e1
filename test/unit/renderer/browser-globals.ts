/**
 * The renderer's i18n reads `localStorage` when it loads (the device's language). Unit tests run renderer modules
 * under Node without a DOM: import this first. (No fake `document` here: Vue's DOM runtime would take it for a
 * real one; a test that needs `document` stubs it after its imports.)
 */
const saved = new Map<string, string>();
const g = globalThis as Record<string, unknown>;

g.localStorage ??= {
  getItem: (key: string) => saved.get(key) ?? null,
  setItem: (key: string, value: string) => void saved.set(key, String(value)),
  removeItem: (key: string) => void saved.delete(key),
  clear: () => saved.clear(),
};
