import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from './staff-user.entity';

/** The signed-in staff member, loaded by AuthGuard from the token and the database on every request. */
export interface AuthUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  orgUnitCode: string;
  /** Materialised path of the user's org unit: their scope is this path and everything below. */
  orgPath: string;
  partnerId: string | null;
  locale: string;
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest().user);

export const PUBLIC_KEY = 'auth:public';
/** Marks an endpoint as open without a token (health, sign-in). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const ROLES_KEY = 'auth:roles';
/** Roles allowed on an endpoint (checked by AuthGuard); without it any signed-in role passes to the handler's own scope checks. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
