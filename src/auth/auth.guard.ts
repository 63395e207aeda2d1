import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { AuthUser, PUBLIC_KEY, ROLES_KEY } from './auth-user';

/**
 * Global guard: every endpoint needs a valid bearer token unless marked @Public(). The user is
 * re-read from the database on each request, so a deactivated account or a moved org unit takes
 * effect immediately. @Roles() narrows the roles; org scope is checked by each service.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly ds: DataSource,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const header: string | undefined = req.headers?.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) throw new DomainError(401, 'UNAUTHENTICATED', 'sign in first (Authorization: Bearer <token>)');
    let sub: string;
    try {
      sub = (await this.jwt.verifyAsync<{ sub: string }>(token)).sub;
    } catch {
      throw new DomainError(401, 'UNAUTHENTICATED', 'the session has expired or the token is invalid; sign in again');
    }
    const rows: any[] = await this.ds.query(
      `SELECT s.id, s.username, s.display_name, s.role, s.org_unit_code, s.partner_id, s.locale, o.path
       FROM staff_user s JOIN org_unit o ON o.code = s.org_unit_code WHERE s.id = $1 AND s.active`,
      [sub],
    );
    if (!rows[0]) throw new DomainError(401, 'UNAUTHENTICATED', 'the account is no longer active');
    const r = rows[0];
    const user: AuthUser = {
      id: r.id,
      username: r.username,
      name: r.display_name,
      role: r.role,
      orgUnitCode: r.org_unit_code,
      orgPath: r.path,
      partnerId: r.partner_id,
      locale: r.locale,
    };
    req.user = user;
    const roles = this.reflector.getAllAndOverride<string[]>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) {
      throw new DomainError(403, 'FORBIDDEN', `this action is not available to the role ${user.role}`);
    }
    return true;
  }
}
