import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, forbidden, notFound } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { AuthUser } from './auth-user';
import { checkPasswordPolicy } from './password-policy';
import { hashPassword } from './passwords';
import { CreateUserDto, StaffQuery, UpdateUserDto } from './users.dto';

const view = (r: any) => ({
  id: r.id, username: r.username, displayName: r.display_name, role: r.role, orgUnitCode: r.org_unit_code, orgName: r.org_name,
  partnerId: r.partner_id, phone: r.phone, email: r.email, locale: r.locale, active: r.active,
  locked: !!r.locked_until && new Date(r.locked_until) > new Date(), mfaEnrolled: !!r.totp_secret,
});

/** Staff accounts, bound to an org unit (and partner staff to a partner). Admins manage their scope only. */
@Injectable()
export class UsersService {
  constructor(private readonly ds: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private async orgInScope(admin: AuthUser, code: string): Promise<string> {
    const rows: { path: string; active: boolean }[] = await this.ds.query(`SELECT path, active FROM org_unit WHERE code = $1`, [code]);
    if (!rows[0]) throw new DomainError(422, 'UNKNOWN_ORG_UNIT', `单位 ${code} 不存在 / unknown org unit ${code}`);
    if (!rows[0].path.startsWith(admin.orgPath)) throw forbidden('该单位不在您的管辖范围内 / that org unit is outside your scope');
    if (!rows[0].active) throw new DomainError(422, 'ORG_INACTIVE', `该单位已停用（${code}） / org unit ${code} is deactivated`);
    return rows[0].path;
  }

  private async checkPartner(role: string, partnerId: string | undefined | null) {
    if (role === 'partner_staff' && !partnerId) throw new DomainError(422, 'PARTNER_REQUIRED', '合作机构人员须选择所属合作机构 / partner staff need a partnerId');
    if (role !== 'partner_staff' && partnerId) throw new DomainError(422, 'PARTNER_NOT_ALLOWED', '只有合作机构人员才能归属合作机构 / only partner staff belong to a partner');
    if (partnerId) {
      const p = await this.ds.query(`SELECT 1 FROM partner WHERE id = $1`, [partnerId]);
      if (!p.length) throw new DomainError(422, 'UNKNOWN_PARTNER', '合作机构不存在 / unknown partner');
    }
  }

  private async get(admin: AuthUser, id: string) {
    const rows: any[] = await this.ds.query(
      `SELECT s.*, o.name AS org_name, o.path FROM staff_user s JOIN org_unit o ON o.code = s.org_unit_code WHERE s.id = $1`,
      [id],
    );
    if (!rows[0] || !rows[0].path.startsWith(admin.orgPath)) throw notFound('user');
    return rows[0];
  }

  async list(admin: AuthUser, q: StaffQuery, activeOnly = false) {
    const params: unknown[] = [`${admin.orgPath}%`];
    const where = ['o.path LIKE $1'];
    if (q.role) where.push(`s.role = $${params.push(q.role)}`);
    if (q.orgUnitCode) where.push(`o.path LIKE '%/' || $${params.push(q.orgUnitCode)} || '/%'`);
    if (q.partnerId) where.push(`s.partner_id = $${params.push(q.partnerId)}`);
    if (activeOnly) where.push('s.active');
    const rows = await this.ds.query(
      `SELECT s.*, o.name AS org_name FROM staff_user s JOIN org_unit o ON o.code = s.org_unit_code
       WHERE ${where.join(' AND ')} ORDER BY o.path, s.role, s.username LIMIT 500`,
      params,
    );
    return { items: rows.map(view) };
  }

  async create(admin: AuthUser, dto: CreateUserDto) {
    await this.orgInScope(admin, dto.orgUnitCode);
    await this.checkPartner(dto.role, dto.partnerId);
    checkPasswordPolicy(dto.password, this.config.PASSWORD_MIN_LENGTH, this.config.PASSWORD_MIN_CLASSES);
    const rows: { id: string }[] = await this.ds.query(
      `INSERT INTO staff_user (username, display_name, password_hash, role, org_unit_code, partner_id, phone, email, locale, password_changed_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9, now()) ON CONFLICT (username) DO NOTHING RETURNING id`,
      [dto.username, dto.displayName, await hashPassword(dto.password), dto.role, dto.orgUnitCode, dto.partnerId ?? null, dto.phone ?? null, dto.email ?? null, dto.locale ?? 'zh-CN'],
    );
    if (!rows[0]) throw new DomainError(409, 'USERNAME_TAKEN', `用户名 ${dto.username} 已存在 / username already exists`);
    return view(await this.get(admin, rows[0].id));
  }

  async update(admin: AuthUser, id: string, dto: UpdateUserDto) {
    const u = await this.get(admin, id);
    if (dto.orgUnitCode) await this.orgInScope(admin, dto.orgUnitCode);
    const role = dto.role ?? u.role;
    const partnerId = dto.partnerId !== undefined ? dto.partnerId : role === 'partner_staff' ? u.partner_id : null;
    await this.checkPartner(role, partnerId);
    if (id === admin.id && (dto.active === false || (dto.role && dto.role !== 'admin'))) {
      throw new DomainError(422, 'SELF_LOCKOUT', '不能停用自己的账号，也不能取消自己的管理员角色 / you cannot deactivate yourself or remove your own admin role');
    }
    await this.ds.transaction(async (m) => {
      await m.query(
        `UPDATE staff_user SET display_name = $2, role = $3, org_unit_code = $4, partner_id = $5, active = $6, locale = $7, updated_at = now() WHERE id = $1`,
        [id, dto.displayName ?? u.display_name, role, dto.orgUnitCode ?? u.org_unit_code, partnerId, dto.active ?? u.active, dto.locale ?? u.locale],
      );
      // A change of role, unit or status signs the user out everywhere.
      if (dto.role || dto.orgUnitCode || dto.active === false) {
        await m.query(`UPDATE auth_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [id]);
      }
    });
    return view(await this.get(admin, id));
  }

  async unlock(admin: AuthUser, id: string) {
    await this.get(admin, id);
    await this.ds.query(`UPDATE staff_user SET failed_logins = 0, locked_until = NULL WHERE id = $1`, [id]);
    return { unlocked: true };
  }

  async resetPassword(admin: AuthUser, id: string, password: string) {
    await this.get(admin, id);
    checkPasswordPolicy(password, this.config.PASSWORD_MIN_LENGTH, this.config.PASSWORD_MIN_CLASSES);
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE staff_user SET password_hash = $2, password_changed_at = now(), failed_logins = 0, locked_until = NULL WHERE id = $1`, [id, await hashPassword(password)]);
      await m.query(`UPDATE auth_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [id]);
    });
    return { reset: true };
  }
}
