import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AuthUser, PUBLIC_KEY, ROLES_KEY } from './auth-user';

const expired = (why: string) => new DomainError(401, 'UNAUTHENTICATED', why);

/**
 * Global guard: every endpoint needs a valid bearer token unless marked @Public(). The token names
 * a server-side session, checked on every request: revoked (sign-out, password change), idle
 * longer than SESSION_IDLE_MINUTES, or older than SESSION_MAX_HOURS → 401. The user is re-read
 * each time, so a deactivated account or a moved org unit takes effect immediately. @Roles()
 * narrows roles; org scope is checked by each service. Roles listed in MFA_REQUIRED_ROLES must
 * enrol TOTP before anything but /auth/* is open to them.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const header: string | undefined = req.headers?.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) throw expired('请先登录 / sign in first (Authorization: Bearer <token>)');
    let claims: { sub: string; sid?: string };
    try {
      claims = await this.jwt.verifyAsync(token);
    } catch {
      throw expired('登录已过期，请重新登录 / the session has expired or the token is invalid; sign in again');
    }
    const rows: any[] = await this.ds.query(
      `SELECT s.id, s.username, s.display_name, s.role, s.org_unit_code, s.partner_id, s.locale, s.totp_secret IS NOT NULL AS mfa, o.path,
              a.revoked_at, a.expires_at, a.last_seen_at, now() AS now
       FROM staff_user s JOIN org_unit o ON o.code = s.org_unit_code
       JOIN auth_session a ON a.id = $2 AND a.user_id = s.id
       WHERE s.id = $1 AND s.active`,
      [claims.sub, claims.sid ?? '00000000-0000-0000-0000-000000000000'],
    );
    const r = rows[0];
    if (!r) throw expired('账号或会话已失效 / the account or session is no longer valid; sign in again');
    if (r.revoked_at) throw expired('已退出登录 / signed out; sign in again');
    const now = new Date(r.now).getTime();
    if (new Date(r.expires_at).getTime() <= now) throw expired('会话已达最长时限，请重新登录 / the session reached its maximum lifetime; sign in again');
    const idleMs = now - new Date(r.last_seen_at).getTime();
    if (idleMs > this.config.SESSION_IDLE_MINUTES * 60_000) throw expired('长时间未操作，请重新登录 / signed out after inactivity; sign in again');
    if (idleMs > 30_000) await this.ds.query(`UPDATE auth_session SET last_seen_at = now() WHERE id = $1`, [claims.sid]);

    const user: AuthUser & { sessionId: string; mfaEnrolled: boolean } = {
      id: r.id,
      username: r.username,
      name: r.display_name,
      role: r.role,
      orgUnitCode: r.org_unit_code,
      orgPath: r.path,
      partnerId: r.partner_id,
      locale: r.locale,
      sessionId: claims.sid!,
      mfaEnrolled: r.mfa,
    };
    req.user = user;
    const path: string = req.route?.path ?? req.url ?? '';
    if (this.config.MFA_REQUIRED_ROLES.includes(user.role) && !user.mfaEnrolled && !path.startsWith('/auth/')) {
      throw new DomainError(403, 'MFA_ENROLL_REQUIRED', '该角色须先绑定动态口令 / your role must enrol a TOTP authenticator first (POST /auth/totp/setup)');
    }
    const roles = this.reflector.getAllAndOverride<string[]>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) {
      throw new DomainError(403, 'FORBIDDEN', `该操作不对角色 ${user.role} 开放 / this action is not available to the role ${user.role}`);
    }
    return true;
  }
}
