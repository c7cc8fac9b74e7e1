/**
 * The contract's shape by name: every method lives in the slice that owns its prefix (so its name tells the file
 * of its contract and of its handlers), no method is in two slices, the merged map is exactly the slices, and
 * every method has a handler in the handler map of its slice. Reads the slice objects, not the file system.
 */
import { describe, expect, it } from 'vitest';
import { api, API_METHODS } from '../../../../common/api';
import { API_SLICES } from '../../../../common/api/slices';
import { handlers, handlersBySlice } from '../../../../electron/services/handlers';

const slices = Object.entries(API_SLICES).map(([name, slice]) => ({
  name,
  prefixes: [...slice.prefixes] as string[],
  methods: Object.keys(slice.methods),
}));
const prefixOf = (method: string) => method.slice(0, method.indexOf('.'));
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

describe('the API contract by slice', () => {
  it('names every method prefix.verb', () => {
    for (const m of API_METHODS) expect(m).toMatch(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/);
  });

  it('gives every prefix to one slice: the one of its name if there is one; a one-prefix slice is named after it', () => {
    const owner = new Map<string, string>();
    for (const s of slices) {
      for (const p of s.prefixes) {
        expect(owner.get(p), `prefix ${p} in ${s.name} and ${owner.get(p)}`).toBeUndefined();
        owner.set(p, s.name);
      }
    }
    for (const [p, name] of owner) if (slices.some((s) => s.name === kebab(p))) expect(name, p).toBe(kebab(p));
    for (const s of slices)
      if (s.prefixes.length === 1) expect(s.name, 'a one-prefix slice is named after its prefix').toBe(kebab(s.prefixes[0]!));
  });

  it('keeps every method in the slice that owns its prefix, and every prefix has methods', () => {
    for (const s of slices) {
      for (const m of s.methods) expect(s.prefixes, `${m} in common/api/${s.name}.ts`).toContain(prefixOf(m));
      for (const p of s.prefixes)
        expect(
          s.methods.some((m) => prefixOf(m) === p),
          `${s.name} owns ${p} but has no ${p}.* method`,
        ).toBe(true);
    }
  });

  it('has no method in two slices, and the merged map is exactly the slices', () => {
    const all = slices.flatMap((s) => s.methods);
    expect(new Set(all).size).toBe(all.length);
    expect([...API_METHODS].sort()).toEqual([...all].sort());
    for (const slice of Object.values(API_SLICES)) {
      for (const [m, spec] of Object.entries(slice.methods)) expect(api[m as keyof typeof api], m).toBe(spec);
    }
  });

  it('has a handler for every method, in the handler map of its slice', () => {
    expect(Object.keys(handlersBySlice).sort()).toEqual(slices.map((s) => s.name).sort());
    for (const s of slices)
      expect(Object.keys(handlersBySlice[s.name as keyof typeof handlersBySlice]).sort(), s.name).toEqual([...s.methods].sort());
    for (const m of API_METHODS) expect(typeof handlers[m], m).toBe('function');
    expect(Object.keys(handlers).sort()).toEqual([...API_METHODS].sort());
  });
});
