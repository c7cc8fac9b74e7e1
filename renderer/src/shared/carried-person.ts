/**
 * The person open on the F2 screen, carried into a desk screen with one key (F3, F4, F8) or its button: the desk
 * screen opens with `?iin=` and its person field picks them as if the IIN had been typed. Only the IIN travels.
 */
import { ref } from 'vue';
import type { RouteLocationRaw } from 'vue-router';

/** The IIN of the person shown on the F2 card, or null. */
export const carriedIin = ref<string | null>(null);

/** The desk screens a person is carried into, by their keys. */
export const CARRY_KEYS = ['F3', 'F4', 'F8'] as const;

export function withPerson(path: string, iin: string | null): RouteLocationRaw {
  return iin ? { path, query: { iin } } : path;
}

/** The IIN a desk screen was opened with, when it is one. */
export function iinFromQuery(q: unknown): string | null {
  return typeof q === 'string' && /^\d{12}$/.test(q) ? q : null;
}
