import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { inUserScope } from '../auth/scope';
import { conflict, DomainError, forbidden, unprocessable } from '../common/domain-error';
import { ORG_LEVELS, type OrgLevel } from './org-unit.entity';

export interface OrgUnitRow {
  code: string;
  name: string;
  nameEn: string | null;
  level: OrgLevel;
  parentCode: string | null;
  path: string;
  active: boolean;
}

export interface OrgUnitNode extends OrgUnitRow {
  children: OrgUnitNode[];
}

const ORG_CODE = /^\d{6,12}$/;
const COLUMNS = `code, name, name_en AS "nameEn", level, parent_code AS "parentCode", path, active`;

/** Throws 400 for something that cannot be an org unit code (6–12 digits). */
export function assertOrgCode(code: string, field = 'code'): void {
  if (!ORG_CODE.test(code)) {
    throw new DomainError(400, 'VALIDATION_FAILED', `${field} 须为6至12位数字的行政区划代码 / ${field} must be a 6-12 digit division code`);
  }
}

/** Digits of a code at each level (GB/T 2260 style plus township and village segments). */
const CODE_LENGTH: Record<OrgLevel, number> = { city: 6, county: 6, township: 9, village: 12 };

/**
 * Why `code` cannot be the code of a `level` unit under `parent`, or null if it can: a county shares
 * its city's first 4 digits (360121 under 360100), a township extends its county by 3 digits
 * (360121105), a village its township by 3 (360121105201); never the parent's own code.
 */
export function childCodeProblem(code: string, level: OrgLevel, parent: { code: string }): string | null {
  const len = CODE_LENGTH[level];
  const prefix = level === 'county' ? parent.code.slice(0, 4) : parent.code;
  if (code.length !== len || !code.startsWith(prefix) || code === parent.code) {
    return `${levelZh(level)}级代码须为${len}位数字且以上级代码 ${prefix} 开头 / a ${level} code has ${len} digits and starts with ${prefix}`;
  }
  return null;
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
    if (!unit.active) throw inactiveUnit(unit, field);
    if (!levels.includes(unit.level)) {
      throw unprocessable(
        'ORG_LEVEL',
        `${field} 须为${levels.map(levelZh).join('或')}级单位，${unit.name}（${code}）是${levelZh(unit.level)}级 / ${field} must be a ${levels.join(' or ')} unit; ${code} is a ${unit.level}`,
      );
    }
    return unit;
  }

  /** POST /org-units — a new unit one level below `parentCode` (in the caller's scope). */
  async create(user: AuthUser, dto: { code: string; parentCode: string; name: string; nameEn?: string | null }): Promise<OrgUnitRow> {
    const parent = await this.find(dto.parentCode);
    if (!parent) throw unprocessable('ORG_UNKNOWN', `parentCode 无此组织机构（${dto.parentCode}） / parentCode: unknown org unit ${dto.parentCode}`);
    if (!inUserScope(user, parent.path)) {
      throw forbidden(`${parent.name}（${parent.code}）不在您的管辖范围内 / org unit ${parent.code} is outside your area`);
    }
    if (!parent.active) throw inactiveUnit(parent, 'parentCode');
    const level = ORG_LEVELS[ORG_LEVELS.indexOf(parent.level) + 1];
    if (!level) throw unprocessable('ORG_LEVEL', `${levelZh(parent.level)}级单位下不能再设下级 / a ${parent.level} has no lower level`);
    const problem = childCodeProblem(dto.code, level, parent);
    if (problem) throw unprocessable('ORG_CODE_FORMAT', problem);
    const name = dto.name.trim();
    if (!name) throw new DomainError(400, 'VALIDATION_FAILED', 'name 不能为空 / name must not be blank');
    const row: OrgUnitRow = { code: dto.code, name, nameEn: dto.nameEn?.trim() || null, level, parentCode: parent.code, path: `${parent.path}${dto.code}/`, active: true };
    const inserted: unknown[] = await this.ds.query(
      `INSERT INTO org_unit (code, name, name_en, level, parent_code, path) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (code) DO NOTHING RETURNING code`,
      [row.code, row.name, row.nameEn, row.level, row.parentCode, row.path],
    );
    if (!inserted.length) {
      const existing = await this.find(dto.code);
      throw conflict('ORG_CODE_TAKEN', `代码 ${dto.code} 已被使用${existing && inUserScope(user, existing.path) ? `（${existing.name}）` : ''} / code ${dto.code} is already in use`);
    }
    return row;
  }

  /**
   * PUT /org-units/:code — rename a unit in the caller's scope, or deactivate / reactivate it.
   * Deactivating is refused (409) while anything below it is still in use: an active sub-unit, an
   * open case or an active staff account; reactivating needs an active parent.
   */
  async update(user: AuthUser, code: string, dto: { name?: string; nameEn?: string | null; active?: boolean }): Promise<OrgUnitRow> {
    assertOrgCode(code);
    return this.ds.transaction(async (m) => {
      const [unit]: OrgUnitRow[] = await m.query(`SELECT ${COLUMNS} FROM org_unit WHERE code = $1 FOR UPDATE`, [code]);
      if (!unit) throw new DomainError(404, 'NOT_FOUND', `无此组织机构（${code}） / org unit ${code} not found`);
      if (!inUserScope(user, unit.path)) {
        throw forbidden(`${unit.name}（${code}）不在您的管辖范围内 / org unit ${code} is outside your area`);
      }
      if (dto.name === undefined && dto.nameEn === undefined && dto.active === undefined) {
        throw new DomainError(400, 'VALIDATION_FAILED', '请填写要修改的内容 / nothing to change: give name, nameEn or active');
      }
      const name = dto.name === undefined ? unit.name : dto.name.trim();
      if (!name) throw new DomainError(400, 'VALIDATION_FAILED', 'name 不能为空 / name must not be blank');
      const nameEn = dto.nameEn === undefined ? unit.nameEn : dto.nameEn?.trim() || null;
      const active = dto.active ?? unit.active;
      if (unit.active && !active) await this.assertUnused(m, unit);
      if (!unit.active && active && unit.parentCode) {
        const [parent]: OrgUnitRow[] = await m.query(`SELECT ${COLUMNS} FROM org_unit WHERE code = $1`, [unit.parentCode]);
        if (parent && !parent.active) throw inactiveUnit(parent, 'parentCode');
      }
      await m.query(`UPDATE org_unit SET name = $2, name_en = $3, active = $4 WHERE code = $1`, [code, name, nameEn, active]);
      return { ...unit, name, nameEn, active };
    });
  }

  /** 409 while the unit or anything below it is in use (active sub-units, open cases, active staff). */
  private async assertUnused(m: EntityManager, unit: OrgUnitRow): Promise<void> {
    const like = `${unit.path}%`;
    const [r] = await m.query(
      `SELECT (SELECT count(*)::int FROM org_unit WHERE path LIKE $1 AND code <> $2 AND active) AS units,
              (SELECT count(*)::int FROM case_file WHERE org_path LIKE $1 AND status = 'open') AS cases,
              (SELECT count(*)::int FROM staff_user s JOIN org_unit o ON o.code = s.org_unit_code WHERE o.path LIKE $1 AND s.active) AS staff`,
      [like, unit.code],
    );
    if (r.units || r.cases || r.staff) {
      throw conflict(
        'ORG_IN_USE',
        `${unit.name}（${unit.code}）仍在使用，不能停用：下级单位 ${r.units} 个、办理中个案 ${r.cases} 件、在用账号 ${r.staff} 个 / ` +
          `${unit.code} is still in use: ${r.units} active sub-units, ${r.cases} open cases, ${r.staff} active staff accounts`,
      );
    }
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

/** 422 ORG_INACTIVE: nothing new is placed in a deactivated unit. */
export function inactiveUnit(unit: OrgUnitRow, field: string): DomainError {
  return unprocessable('ORG_INACTIVE', `${field}：${unit.name}（${unit.code}）已停用 / ${field}: org unit ${unit.code} is deactivated`);
}

export function levelZh(level: string): string {
  return ({ city: '市', county: '县（区）', township: '乡镇（街道）', village: '村（社区）' } as Record<string, string>)[level] ?? level;
}
