import type { MsgKey } from './i18n';
import type { Role } from './labels';

export interface NavItem {
  path: string;
  label: MsgKey;
  roles: Role[] | 'all';
  group?: 'admin';
}

const STAFF: Role[] = ['village_caseworker', 'township_officer', 'county_officer', 'civil_affairs_officer', 'manager', 'partner_staff'];
export const NAV: NavItem[] = [
  { path: '/app/dashboard', label: 'navDashboard', roles: ['manager', 'county_officer', 'admin'] },
  { path: '/app/inbox', label: 'navInbox', roles: STAFF },
  { path: '/app/cases', label: 'navCases', roles: 'all' },
  { path: '/app/new-case', label: 'navNewCase', roles: ['village_caseworker', 'township_officer', 'county_officer'] },
  { path: '/app/followups', label: 'navFollowUps', roles: ['village_caseworker', 'township_officer', 'county_officer', 'manager', 'partner_staff'] },
  { path: '/app/monitoring', label: 'navMonitoring', roles: ['manager', 'county_officer', 'admin'] },
  { path: '/app/workload', label: 'navWorkload', roles: ['manager', 'county_officer', 'admin'] },
  { path: '/app/reports', label: 'navReports', roles: ['manager', 'county_officer', 'admin'] },
  { path: '/app/notifications', label: 'navNotifications', roles: 'all' },
  { path: '/app/admin/org-units', label: 'navOrgUnits', roles: ['admin', 'manager', 'county_officer'], group: 'admin' },
  { path: '/app/admin/users', label: 'navUsers', roles: ['admin', 'manager'], group: 'admin' },
  { path: '/app/admin/partners', label: 'navPartners', roles: ['admin', 'county_officer', 'manager'], group: 'admin' },
  { path: '/app/admin/calendar', label: 'navCalendar', roles: ['admin'], group: 'admin' },
  { path: '/app/admin/programmes', label: 'navProgrammes', roles: ['admin', 'manager'], group: 'admin' },
];

export const allowed = (item: NavItem, role: Role) => item.roles === 'all' || item.roles.includes(role);
export const canUse = (path: string, role: Role) => {
  const item = NAV.find((n) => path === n.path || path.startsWith(n.path + '/'));
  return !item || allowed(item, role);
};

export function homeFor(role: Role): string {
  if (role === 'manager') return '/app/dashboard';
  if (role === 'admin') return '/app/admin/users';
  return '/app/inbox';
}
