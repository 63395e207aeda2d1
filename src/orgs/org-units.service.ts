import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { inUserScope } from '../auth/scope';
import { DomainError, forbidden, unprocessable } from '../common/domain-error';
import type { OrgLevel } from './org-unit.entity';

export interface OrgUnitRow {
  code: string;
  name: string;
  nameEn: string | null;
  level: OrgLevel;
  parentCode: string | null;
  path: string;
}

export interface OrgUnitNode extends OrgUnitRow {
  children: OrgUnitNode[];
}

const ORG_CODE = /^\d{6,12}$/;
const COLUMNS = `code, name, name_en AS "nameEn", level, parent_code AS "parentCode", path`;

/** Throws 400 for something that cannot be an org unit code (6–12 digits). */
export function assertOrgCode(code: string, field = 'code'): void {
  if (!ORG_CODE.test(code)) {
    throw new DomainError(400, 'VALIDATION_FAILED', `${field} 须为6至12位数字的行政区划代码 / ${field} must be a 6-12 digit division code`);
  }
}

/** True if `path` is on the user's own path (an ancestor or their unit) or below it. */
export function onUserPath(user: AuthUser, path: string): boolean {
  return path.startsWith(user.orgPath) || user.orgPath.startsWith(path);
}

/**
 * Org units: lookups shared by the other reference services (persons, partners, programme
 * configs) and the tree/detail endpoints. Scope = the user's path prefix.
 */
@Injectable()
export class OrgUnitsService {
  constructor(private readonly ds: DataSource) {}

  async find(code: string, m: EntityManager = this.ds.manager): Promise<OrgUnitRow | undefined> {
    if (!ORG_CODE.test(code)) return undefined;
    const rows: OrgUnitRow[] = await m.query(`SELECT ${COLUMNS} FROM org_unit WHERE code = $1`, [code]);
    return rows[0];
  }

  /**
   * An org unit named in a request body that the caller must be allowed to act on:
   * 422 if unknown or of the wrong level, 403 if outside the caller's scope.
   */
  async requireForWrite(user: AuthUser, code: string, levels: readonly OrgLevel[], field: string): Promise<OrgUnitRow> {
    const unit = await this.find(code);
    if (!unit) throw unprocessable('ORG_UNKNOWN', `${field} 无此组织机构（${code}） / ${field}: unknown org unit ${code}`);
    if (!inUserScope(user, unit.path)) {
      throw forbidden(`${unit.name}（${code}）不在您的管辖范围内 / org unit ${code} is outside your area`);
    }
    if (!levels.includes(unit.level)) {
      throw unprocessable(
        'ORG_LEVEL',
        `${field} 须为${levels.map(levelZh).join('或')}级单位，${unit.name}（${code}）是${levelZh(unit.level)}级 / ${field} must be a ${levels.join(' or ')} unit; ${code} is a ${unit.level}`,
      );
    }
    return unit;
  }

  /** GET /org-units/:code — the unit if it is on the caller's path (their ancestors) or below; with its ancestors. */
  async get(user: AuthUser, code: string) {
    assertOrgCode(code);
    const unit = await this.find(code);
    if (!unit) throw new DomainError(404, 'NOT_FOUND', `无此组织机构（${code}） / org unit ${code} not found`);
    if (!onUserPath(user, unit.path)) {
      throw forbidden(`${unit.name}（${code}）不在您的管辖范围内 / org unit ${code} is outside your area`);
    }
    const ancestorCodes = unit.path.split('/').filter((c) => c && c !== unit.code);
    const ancestors: OrgUnitRow[] = ancestorCodes.length
      ? await this.ds.query(`SELECT ${COLUMNS} FROM org_unit WHERE code = ANY($1) ORDER BY length(path)`, [ancestorCodes])
      : [];
    const counts: { n: number }[] = await this.ds.query(`SELECT count(*)::int AS n FROM org_unit WHERE parent_code = $1`, [code]);
    return { ...unit, inScope: inUserScope(user, unit.path), ancestors, childCount: counts[0].n };
  }

  /** GET /org-units/tree — the subtree under `root` (default: the caller's unit), which must be in scope. */
  async tree(user: AuthUser, rootCode: string | undefined, depth: number | undefined): Promise<OrgUnitNode> {
    const code = rootCode ?? user.orgUnitCode;
    assertOrgCode(code, 'root');
    const root = await this.find(code);
    if (!root) throw new DomainError(404, 'NOT_FOUND', `无此组织机构（${code}） / org unit ${code} not found`);
    if (!inUserScope(user, root.path)) {
      throw forbidden(`${root.name}（${code}）不在您的管辖范围内 / org unit ${code} is outside your area`);
    }
    const params: unknown[] = [`${root.path}%`];
    let depthSql = '';
    if (depth !== undefined) {
      // A path has one more "/" than its depth: "/360100/" is depth 1.
      params.push(slashes(root.path) + depth);
      depthSql = ` AND length(path) - length(replace(path, '/', '')) <= $2`;
    }
    const rows: OrgUnitRow[] = await this.ds.query(`SELECT ${COLUMNS} FROM org_unit WHERE path LIKE $1${depthSql} ORDER BY path`, params);
    const byCode = new Map<string, OrgUnitNode>();
    for (const r of rows) byCode.set(r.code, { ...r, children: [] });
    for (const node of byCode.values()) {
      if (node.code !== root.code && node.parentCode) byCode.get(node.parentCode)?.children.push(node);
    }
    return byCode.get(root.code)!;
  }
}

function slashes(path: string): number {
  return path.split('/').length - 1;
}

export function levelZh(level: string): string {
  return ({ city: '市', county: '县（区）', township: '乡镇（街道）', village: '村（社区）' } as Record<string, string>)[level] ?? level;
}
