import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable, tap } from 'rxjs';
import type { AuthUser } from '../auth/auth-user';
import { AuditService } from './audit.service';

export const AUDIT_READ = 'audit:read';
/** Marks a GET endpoint whose response contains a person's record: every read is audited. */
export const AuditRead = (targetType: string, param = 'id') => SetMetadata(AUDIT_READ, { targetType, param });

/**
 * Audits every state-changing request (POST/PUT/PATCH/DELETE) and every read marked @AuditRead,
 * with who, what, from where and the outcome (success or the refusal's status and code).
 * Sign-in is audited by AuthService itself (it knows the username before there is a user).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService, private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest();
    const read = this.reflector.get<{ targetType: string; param: string }>(AUDIT_READ, ctx.getHandler());
    const mutating = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
    const route: string = req.route?.path ?? req.url;
    if ((!mutating && !read) || route.startsWith('/auth/login')) return next.handle();
    const user: AuthUser | undefined = req.user;
    const base = {
      actorId: user?.id ?? null,
      actorName: user?.username ?? null,
      action: `${req.method} ${route}`,
      targetType: read?.targetType ?? route.split('/')[1] ?? null,
      targetId: (read ? req.params?.[read.param] : (req.params?.taskId ?? req.params?.caseId ?? req.params?.id ?? req.params?.code ?? (route === '/org-units' && typeof req.body?.code === 'string' ? req.body.code.slice(0, 12) : undefined))) ?? null,
      ip: req.ip ?? null,
    };
    return next.handle().pipe(
      tap({
        next: () => void this.audit.record({ ...base, success: true, detail: mutating ? { action: req.body?.action } : {} }),
        error: (err) => void this.audit.record({ ...base, success: false, detail: { status: err?.status ?? err?.getStatus?.() ?? 500, code: err?.code ?? null } }),
      }),
    );
  }
}
