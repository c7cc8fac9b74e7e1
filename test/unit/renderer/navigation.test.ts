/** The one list of screens: the router's routes and the side navigation both come from it. */
import { describe, expect, it } from 'vitest';
import { allowed, NAV, SCREENS } from '../../../renderer/src/navigation';

describe('screens', () => {
  it('have unique names, paths and shortcuts', () => {
    const unique = (xs: readonly unknown[]) => new Set(xs).size === xs.length;
    expect(unique(SCREENS.map((s) => s.name))).toBe(true);
    expect(unique(SCREENS.map((s) => s.path))).toBe(true);
    expect(unique(NAV.flatMap((s) => (s.shortcut ? [s.shortcut] : [])))).toBe(true);
  });

  it('the side navigation lists the screens with a label, in order; the login and a single request are not in it', () => {
    expect(NAV.map((n) => n.name)).toEqual(SCREENS.filter((s) => s.label).map((s) => s.name));
    expect(NAV.map((n) => n.name)).not.toContain('login');
    expect(NAV.map((n) => n.name)).not.toContain('request');
    expect(NAV[0]?.name).toBe('home');
    expect(NAV.every((n) => n.label.length > 0)).toBe(true);
  });

  it('only the login screen is public', () => {
    expect(SCREENS.filter((s) => s.public).map((s) => s.name)).toEqual(['login']);
  });

  it('the HIV follow-ups open only to a counselling physician', () => {
    const hiv = NAV.find((n) => n.name === 'hiv-follow-ups')!;
    expect(allowed(hiv, 'physician', 'counselling')).toBe(true);
    expect(allowed(hiv, 'physician', 'therapist')).toBe(false);
    expect(allowed(hiv, 'administrator', null)).toBe(false);
    expect(
      allowed(
        NAV.find((n) => n.name === 'people')!,
        null,
      ),
    ).toBe(false);
  });
});
