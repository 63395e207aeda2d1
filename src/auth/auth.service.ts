import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { AuthUser } from './auth-user';
import { checkPasswordPolicy } from './password-policy';
import { hashPassword, verifyPassword } from './passwords';
import { RateLimiter } from './rate-limit';

const BAD = () => new DomainError(401, 'BAD_CREDENTIALS', '用户名或密码错误 / wrong username or password');

export interface LoginContext {
  ip: string | null;
  userAgent: string | null;
}

@Injectable()
export class AuthService {
  private readonly dummyHash = hashPassword(randomUUID());

  constructor(
    private readonly ds: DataSource,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditService,
  ) {}

  totp(username: string, secret: string) {
    return new OTPAuth.TOTP({ issuer: 'DPF caseflow', label: username, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
  }

  /**
   * Sign-in: rate limits per IP and per account, lockout after LOGIN_MAX_FAILURES consecutive
   * failures for LOCKOUT_MINUTES, TOTP when the user has enrolled, then a new server-side session
   * and a short-lived access token naming it. Every attempt is audited.
   */
  async login(username: string, password: string, otp: string | undefined, ctx: LoginContext) {
    const c = this.config;
    const audit = (success: boolean, userId: string | null, reason: string) =>
      this.audit.record({ actorId: userId, actorName: username, action: 'auth.login', targetType: 'staff_user', targetId: userId, ip: ctx.ip, success, detail: { reason } });
    const okIp = await this.limiter.hit(`login-ip:${ctx.ip ?? '?'}`, c.LOGIN_RATE_PER_MINUTE);
    const okUser = await this.limiter.hit(`login-user:${username}`, Math.max(c.LOGIN_MAX_FAILURES * 2, 10));
    if (!okIp || !okUser) {
      await audit(false, null, 'rate-limited');
      throw new DomainError(429, 'TOO_MANY_ATTEMPTS', '登录尝试过于频繁，请稍后再试 / too many sign-in attempts; wait a minute');
    }
    const rows: any[] = await this.ds.query(
      `SELECT s.id, s.username, s.display_name, s.role, s.org_unit_code, s.partner_id, s.locale, s.password_hash,
              s.failed_logins, s.locked_until, s.totp_secret, o.name AS org_name
       FROM staff_user s JOIN org_unit o ON o.code = s.org_unit_code WHERE s.username = $1 AND s.active`,
      [username],
    );
    const u = rows[0];
    if (!u) {
      await verifyPassword(await this.dummyHash, password); // same work as a real check: no timing oracle for usernames
      await audit(false, null, 'unknown-user');
      throw BAD();
    }
    if (u.locked_until && new Date(u.locked_until) > new Date()) {
      await audit(false, u.id, 'locked');
      throw new DomainError(423, 'ACCOUNT_LOCKED', `账号已锁定至 ${new Date(u.locked_until).toISOString()} / account locked after repeated failures; try later or ask an admin`);
    }
    const passwordOk = await verifyPassword(u.password_hash, password);
    const otpOk = !u.totp_secret || (otp !== undefined && this.totp(u.username, u.totp_secret).validate({ token: otp, window: 1 }) !== null);
    if (!passwordOk || !otpOk) {
      const failures = u.failed_logins + 1;
      const lock = failures >= c.LOGIN_MAX_FAILURES;
      await this.ds.query(
        `UPDATE staff_user SET failed_logins = $2, locked_until = CASE WHEN $3 THEN now() + make_interval(mins => $4) ELSE locked_until END WHERE id = $1`,
        [u.id, lock ? 0 : failures, lock, c.LOCKOUT_MINUTES],
      );
      await audit(false, u.id, !passwordOk ? (lock ? 'bad-password-locked' : 'bad-password') : 'bad-otp');
      if (passwordOk && !otp) throw new DomainError(401, 'OTP_REQUIRED', '请输入动态口令 / enter the one-time code from your authenticator');
      throw BAD();
    }
    await this.ds.query(`UPDATE staff_user SET failed_logins = 0, locked_until = NULL WHERE id = $1`, [u.id]);
    const sid = randomUUID();
    await this.ds.query(
      `INSERT INTO auth_session (id, user_id, last_seen_at, expires_at, ip, user_agent) VALUES ($1,$2,now(), now() + make_interval(hours => $3), $4, $5)`,
      [sid, u.id, c.SESSION_MAX_HOURS, ctx.ip, ctx.userAgent?.slice(0, 200) ?? null],
    );
    await audit(true, u.id, 'ok');
    return {
      ...(await this.issue(u.id, u.role, sid)),
      user: {
        id: u.id, username: u.username, name: u.display_name, role: u.role, orgUnitCode: u.org_unit_code, orgName: u.org_name,
        partnerId: u.partner_id, locale: u.locale, mfaEnrolled: !!u.totp_secret, mfaRequired: c.MFA_REQUIRED_ROLES.includes(u.role),
      },
    };
  }

  private async issue(userId: string, role: string, sid: string) {
    const accessToken = await this.jwt.signAsync({ sub: userId, role, sid }, { expiresIn: this.config.JWT_TTL_SECONDS });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.JWT_TTL_SECONDS };
  }

  /** A fresh short-lived token for the same session (the session's idle and absolute limits still apply). */
  refresh(user: AuthUser & { sessionId: string }) {
    return this.issue(user.id, user.role, user.sessionId);
  }

  async logout(user: AuthUser & { sessionId: string }) {
    await this.ds.query(`UPDATE auth_session SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [user.sessionId]);
    return { signedOut: true };
  }

  async changePassword(user: AuthUser, current: string, next: string) {
    const [u] = await this.ds.query(`SELECT password_hash FROM staff_user WHERE id = $1`, [user.id]);
    if (!(await verifyPassword(u.password_hash, current))) throw new DomainError(422, 'BAD_CREDENTIALS', '当前密码不正确 / the current password is wrong');
    checkPasswordPolicy(next, this.config.PASSWORD_MIN_LENGTH, this.config.PASSWORD_MIN_CLASSES);
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE staff_user SET password_hash = $2, password_changed_at = now() WHERE id = $1`, [user.id, await hashPassword(next)]);
      await m.query(`UPDATE auth_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [user.id]);
    });
    return { changed: true, signedOut: true };
  }

  /** My language: the notification worker renders what it sends me in it (e-mail, SMS, in-app). */
  async setLocale(user: AuthUser, locale: string) {
    await this.ds.query(`UPDATE staff_user SET locale = $2, updated_at = now() WHERE id = $1`, [user.id, locale]);
    return { locale };
  }

  /** TOTP enrolment, step 1: a new secret (not active until a code from it is confirmed). */
  async totpSetup(user: AuthUser) {
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    await this.ds.query(`UPDATE staff_user SET totp_pending_secret = $2 WHERE id = $1`, [user.id, secret]);
    return { secret, otpauthUrl: this.totp(user.username, secret).toString() };
  }

  /** TOTP enrolment, step 2: confirm a code; from now on sign-in needs a code. */
  async totpEnable(user: AuthUser, otp: string) {
    const [u] = await this.ds.query(`SELECT totp_pending_secret FROM staff_user WHERE id = $1`, [user.id]);
    if (!u.totp_pending_secret) throw new DomainError(409, 'NO_PENDING_TOTP', '请先开始设置动态验证码 / start with POST /auth/totp/setup');
    if (this.totp(user.username, u.totp_pending_secret).validate({ token: otp, window: 1 }) === null) {
      throw new DomainError(422, 'BAD_OTP', '动态口令不正确 / the code does not match');
    }
    await this.ds.query(`UPDATE staff_user SET totp_secret = totp_pending_secret, totp_pending_secret = NULL WHERE id = $1`, [user.id]);
    return { enabled: true };
  }
}
