import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { bilingualHttpMessage, DomainError } from './domain-error';

/** HTTP status for each refusal type thrown by a case workflow's Update validator. */
const WORKFLOW_REFUSALS: Record<string, number> = {
  TASK_NOT_FOUND: 404,
  TASK_CLOSED: 409,
  TASK_CLAIMED: 409,
  CASE_CLOSED: 409,
  FOREIGN_TASK: 403,
  FOUR_EYES: 422,
  INVALID_DECISION: 422,
};

function applicationFailureIn(err: unknown): ApplicationFailure | undefined {
  let e: any = err;
  for (let i = 0; e && i < 5; i++, e = e.cause) if (e instanceof ApplicationFailure) return e;
  return undefined;
}

/** Maps every error to `{ statusCode, code, message, details? }`; nothing reaches the client as a bare 500 trace. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('http');

  catch(err: unknown, host: ArgumentsHost) {
    const res = host.switchToHttp().getResponse<Response>();
    const send = (status: number, code: string, message: string, details?: unknown) =>
      res.status(status).json({ statusCode: status, code, message, ...(details !== undefined ? { details } : {}) });

    if (err instanceof DomainError) return send(err.status, err.code, err.message, err.details);
    if (err instanceof HttpException) {
      const status = err.getStatus();
      const body = err.getResponse() as any;
      const english = Array.isArray(body?.message) ? body.message.join('; ') : String(body?.message ?? err.message);
      const message = bilingualHttpMessage(status, english);
      const code = status === 400 ? 'VALIDATION_FAILED' : status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : `HTTP_${status}`;
      return send(status, code, message, Array.isArray(body?.message) ? body.message : undefined);
    }
    const failure = applicationFailureIn(err);
    if (failure?.type && WORKFLOW_REFUSALS[failure.type]) return send(WORKFLOW_REFUSALS[failure.type], failure.type, failure.message);
    if (err instanceof WorkflowNotFoundError) return send(404, 'NOT_FOUND', '个案流程不存在 / case workflow not found');
    if (err instanceof QueryFailedError && (err as any).driverError?.code === '23505') {
      return send(409, 'DUPLICATE', '已存在相同的记录，请勿重复提交 / a record with the same unique value already exists');
    }
    if (isUnavailable(err)) return send(503, 'DEPENDENCY_UNAVAILABLE', '系统依赖的服务暂时不可用，请稍后再试 / a required service (database, Redis or Temporal) is unavailable; try again shortly');
    this.log.error(err instanceof Error ? err.stack : String(err));
    return send(500, 'INTERNAL', '系统内部错误，请稍后再试或联系管理员 / internal error');
  }
}

function isUnavailable(err: unknown): boolean {
  const msg = err instanceof Error ? `${err.name} ${err.message} ${(err as any).code ?? ''}` : '';
  return /ECONNREFUSED|ETIMEDOUT|Connection terminated|connect ECONN|UNAVAILABLE|ServiceError|Client has been closed|timeout exceeded when trying to connect/i.test(msg);
}
