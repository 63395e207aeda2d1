import type { AuthUser } from './auth-user';

/**
 * Organisational scope, in one place. A user sees their own org unit and everything below it
 * (a path-prefix match); partner staff see only what is referred to their partner.
 */
export function inUserScope(user: AuthUser, orgPath: string): boolean {
  return orgPath.startsWith(user.orgPath);
}

/**
 * SQL condition restricting case rows (alias `c`) to what `user` may see, with its parameters
 * appended to `params`. Partner staff: cases their partner holds or has a task on.
 */
export function caseScopeSql(user: AuthUser, params: unknown[], alias = 'c'): string {
  params.push(user.id);
  // A live break-glass grant opens one out-of-scope case for a few hours (audited).
  const glass = `EXISTS (SELECT 1 FROM break_glass_grant g WHERE g.user_id = $${params.length} AND g.case_id = ${alias}.id AND g.expires_at > now())`;
  if (user.role === 'partner_staff') {
    params.push(user.partnerId ?? '00000000-0000-0000-0000-000000000000');
    const p = `$${params.length}`;
    return `(${alias}.partner_id = ${p} OR EXISTS (SELECT 1 FROM task tp WHERE tp.case_id = ${alias}.id AND tp.partner_id = ${p}) OR ${glass})`;
  }
  params.push(`${user.orgPath}%`);
  return `(${alias}.org_path LIKE $${params.length} OR ${glass})`;
}
