import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { notFound } from '../common/domain-error';

export interface ScopeUnit {
  code: string;
  name: string;
  level: string;
  path: string;
}

/**
 * The org unit a monitoring or report request is about: the user's own by default, or one below
 * it. A unit outside the user's scope is a 404, so the existence of other areas is not revealed.
 */
export async function resolveScope(ds: DataSource, user: AuthUser, orgUnitCode?: string): Promise<ScopeUnit> {
  const code = orgUnitCode ?? user.orgUnitCode;
  const rows: ScopeUnit[] = await ds.query(`SELECT code, name, level, path FROM org_unit WHERE code = $1`, [code]);
  const u = rows[0];
  if (!u || !u.path.startsWith(user.orgPath)) throw notFound(`org unit ${code}`);
  return u;
}

/** Depth of a materialised path ("/a/b/" → 2). */
export const pathDepth = (path: string) => path.split('/').filter(Boolean).length;
