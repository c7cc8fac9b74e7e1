/**
 * Every screen of the window, in one list: its route (name, path), who can open it and, for the screens in the
 * side navigation, what the menu and the home tiles show. The router builds its routes from this list (router.ts
 * adds only the component of each), so a screen is declared once. The main process enforces the same rules per
 * API method; this only decides what is shown and where the router lets a user go.
 */
import type { Role } from '../../common/roles';

export interface Screen {
  name: string;
  path: string;
  roles: readonly Role[] | 'all';
  /** Physicians only of these specialties (the counselling room's HIV screens). */
  specialties?: readonly string[];
  /** Open without logging in (the login screen). */
  public?: boolean;
  /** The side navigation's label; a screen without one is reached by a link (a request from the queue). */
  label?: string;
  /** The home screen's tile text. */
  tile?: string;
  shortcut?: string;
}

/** A screen in the side navigation. */
export interface NavItem extends Screen {
  label: string;
}

const SCREEN_LIST = [
  { name: 'login', path: '/login', roles: 'all', public: true },
  { name: 'home', path: '/', label: 'shell.home', roles: 'all', shortcut: 'Alt+H' },
  { name: 'people', path: '/people', label: 'shell.people', tile: 'home.tiles.people', roles: 'all', shortcut: 'F2' },
  // The front desk (issue 4): the registrar's three services first, then the journals and the timetables.
  {
    name: 'desk-home-visit',
    path: '/desk/home-visit',
    label: 'desk.nav.homeVisit',
    tile: 'desk.tiles.homeVisit',
    roles: ['registrar'],
    shortcut: 'F3',
  },
  {
    name: 'desk-appointments',
    path: '/desk/appointments',
    label: 'desk.nav.appointments',
    tile: 'desk.tiles.appointments',
    roles: ['registrar'],
    shortcut: 'F4',
  },
  {
    name: 'desk-attachment',
    path: '/desk/attachment',
    label: 'desk.nav.attachment',
    tile: 'desk.tiles.attachment',
    roles: ['registrar'],
    shortcut: 'F8',
  },
  {
    name: 'desk-journals',
    path: '/desk/journals',
    label: 'desk.nav.journals',
    tile: 'desk.tiles.journals',
    roles: ['registrar', 'administrator', 'physician'],
    shortcut: 'F9',
  },
  {
    name: 'desk-timetables',
    path: '/desk/timetables',
    label: 'desk.nav.timetables',
    tile: 'desk.tiles.timetables',
    roles: ['registrar', 'administrator', 'physician'],
  },
  // E-requests from the portal (issue 8).
  {
    name: 'erequests',
    path: '/erequests',
    label: 'erequests.nav',
    tile: 'erequests.tile',
    roles: ['registrar', 'administrator'],
    shortcut: 'F6',
  },
  { name: 'queue', path: '/queue', label: 'workflow.nav.queue', tile: 'workflow.tiles.queue', roles: 'all' },
  { name: 'request', path: '/requests/:id(\\d+)', roles: 'all' },
  // Dispensaries, the cash desk and HIV testing (issue 6).
  { name: 'cash', path: '/cash', label: 'dispensary.nav.cash', tile: 'dispensary.tiles.cash', roles: ['cashier', 'administrator'] },
  {
    name: 'certificates',
    path: '/certificates',
    label: 'dispensary.nav.certificates',
    tile: 'dispensary.tiles.certificates',
    roles: ['registrar', 'operator', 'physician', 'administrator'],
  },
  {
    name: 'hiv-follow-ups',
    path: '/hiv/follow-ups',
    label: 'dispensary.nav.hivFollowUps',
    tile: 'dispensary.tiles.hivFollowUps',
    roles: ['physician'],
    specialties: ['counselling'],
  },
  { name: 'prices', path: '/prices', label: 'dispensary.nav.prices', tile: 'dispensary.tiles.prices', roles: ['administrator'] },
  {
    name: 'registers',
    path: '/registers',
    label: 'dispensary.nav.registers',
    tile: 'dispensary.tiles.registers',
    roles: ['administrator'],
  },
  { name: 'deadlines', path: '/deadlines', label: 'workflow.nav.deadlines', tile: 'workflow.tiles.deadlines', roles: ['administrator'] },
  {
    name: 'regulations',
    path: '/regulations',
    label: 'workflow.nav.regulations',
    tile: 'workflow.tiles.regulations',
    roles: ['administrator'],
  },
  { name: 'staff', path: '/staff', label: 'shell.staff', tile: 'home.tiles.staff', roles: ['administrator'] },
  {
    name: 'signing',
    path: '/signing',
    label: 'signing.nav',
    tile: 'signing.intro',
    roles: ['physician', 'registrar', 'operator', 'administrator'],
  },
  { name: 'sync', path: '/sync', label: 'sync.nav', tile: 'sync.intro', roles: ['administrator'] },
  { name: 'organization', path: '/organization', label: 'sync.org.nav', tile: 'sync.org.intro', roles: ['administrator'] },
  // Backups, the audit check, the register import (issue 16).
  { name: 'administration', path: '/administration', label: 'admin.nav', tile: 'admin.tile', roles: ['administrator'] },
  { name: 'password', path: '/password', label: 'shell.password', tile: 'home.tiles.password', roles: 'all' },
  // A printed document checked by its QR code or its number and code (issue 19); the scanner opens it from anywhere.
  { name: 'verify', path: '/verify/:number?/:code?', label: 'verify.nav', tile: 'verify.tile', roles: 'all' },
] as const satisfies readonly Screen[];

export type ScreenName = (typeof SCREEN_LIST)[number]['name'];

/** Every screen, in the side navigation's order. */
export const SCREENS: readonly (Screen & { name: ScreenName })[] = SCREEN_LIST;

/** The side navigation, in order. */
export const NAV: readonly NavItem[] = SCREENS.filter((s): s is NavItem & { name: ScreenName } => s.label !== undefined);

export function allowed(item: Pick<Screen, 'roles' | 'specialties'>, role: Role | null, specialty?: string | null): boolean {
  if (item.specialties && !(specialty && item.specialties.includes(specialty))) return false;
  return role !== null && (item.roles === 'all' || item.roles.includes(role));
}
