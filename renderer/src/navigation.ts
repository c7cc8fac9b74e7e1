/** What each role can open. The main process enforces the same rules per API method; this only decides what is shown. */
import type { Role } from '../../common/roles';

export interface NavItem {
  name: string;
  path: string;
  label: string;
  tile?: string;
  roles: readonly Role[] | 'all';
  shortcut?: string;
}

export const NAV: NavItem[] = [
  { name: 'home', path: '/', label: 'shell.home', roles: 'all', shortcut: 'Alt+H' },
  { name: 'people', path: '/people', label: 'shell.people', tile: 'home.tiles.people', roles: 'all', shortcut: 'F2' },
  { name: 'staff', path: '/staff', label: 'shell.staff', tile: 'home.tiles.staff', roles: ['administrator'] },
  { name: 'password', path: '/password', label: 'shell.password', tile: 'home.tiles.password', roles: 'all' },
];

export function allowed(item: Pick<NavItem, 'roles'>, role: Role | null): boolean {
  return role !== null && (item.roles === 'all' || item.roles.includes(role));
}
