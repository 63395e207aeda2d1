import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DomainError } from '../common/domain-error';
import { verifyPassword } from './passwords';

@Injectable()
export class AuthService {
  constructor(
    private readonly ds: DataSource,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Checks the password and issues a short-lived access token (JWT_TTL_SECONDS, default 15 min). */
  async login(username: string, password: string) {
    const rows: any[] = await this.ds.query(
      `SELECT s.id, s.username, s.display_name, s.role, s.org_unit_code, s.partner_id, s.locale, s.password_hash, o.name AS org_name
       FROM staff_user s JOIN org_unit o ON o.code = s.org_unit_code WHERE s.username = $1 AND s.active`,
      [username],
    );
    const u = rows[0];
    // Same answer for unknown user and wrong password: no account enumeration.
    if (!u || !(await verifyPassword(u.password_hash, password))) {
      throw new DomainError(401, 'BAD_CREDENTIALS', '用户名或密码错误 / wrong username or password');
    }
    const accessToken = await this.jwt.signAsync({ sub: u.id, role: u.role }, { expiresIn: this.config.JWT_TTL_SECONDS });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.JWT_TTL_SECONDS,
      user: { id: u.id, username: u.username, name: u.display_name, role: u.role, orgUnitCode: u.org_unit_code, orgName: u.org_name, partnerId: u.partner_id, locale: u.locale },
    };
  }
}
