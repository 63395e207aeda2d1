import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  BULK_REASSIGN_WORKFLOW,
  BulkProgress,
  bulkProgressQuery,
  BulkReassignInput,
  bulkReassignWorkflowId,
  MAX_EXTENSION_WORKING_DAYS,
  TaskActionInput,
} from '../../workflows/contracts';
import type { AuthUser } from '../auth/auth-user';
import { DomainError, notFound } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import { isIsoDate, shanghaiDate } from '../domain/calendar/working-days';
import { actorOf, TaskUpdates } from '../tasks/task-updates';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module';
import { BulkReassignDto, EscalateDto, ExtendDto, NudgeDto, ReassignDto } from './monitoring.dto';
import { WorkdayService } from './workday.service';


/**
 * Acting on stuck cases: reassign one task, reassign everything a departed caseworker holds (a
 * tracked workflow), nudge, escalate, extend a due date. Each single action is a `taskAction`
 * Update on the case workflow, whose validator checks the actor's role and scope again.
 */
@Injectable()
export class MonitoringActionsService {
  constructor(
    private readonly ds: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly workdays: WorkdayService,
    private readonly updates: TaskUpdates,
  ) {}

  /** The open task with its case, if the case is in the user's scope (404 otherwise). */
  private async taskInScope(user: AuthUser, taskId: string) {
    const rows: any[] = await this.ds.query(
      `SELECT t.id, t.case_id, t.status, t.due_date, t.due_at, c.workflow_id, c.case_no
       FROM task t JOIN case_file c ON c.id = t.case_id WHERE t.id = $1 AND c.org_path LIKE $2`,
      [taskId, `${user.orgPath}%`],
    );
    if (!rows[0]) throw notFound('task');
    return rows[0];
  }

  private async staff(id: string, opts: { activeOnly: boolean }) {
    const rows: any[] = await this.ds.query(
      `SELECT s.id, s.display_name AS name, s.role, s.partner_id, s.active, o.path FROM staff_user s JOIN org_unit o ON o.code = s.org_unit_code
       WHERE s.id = $1 ${opts.activeOnly ? 'AND s.active' : ''}`,
      [id],
    );
    return rows[0] as { id: string; name: string; role: string; partner_id: string | null; active: boolean; path: string } | undefined;
  }

  private send(workflowId: string, input: TaskActionInput) {
    return this.updates.send(workflowId, input);
  }

  async reassign(user: AuthUser, taskId: string, dto: ReassignDto) {
    const t = await this.taskInScope(user, taskId);
    const to = await this.staff(dto.toUserId, { activeOnly: true });
    if (!to) throw new DomainError(422, 'INVALID_DECISION', '新的经办人不存在或账号已停用 / the new assignee does not exist or is inactive');
    const toUser = actorOf({ id: to.id, name: to.name, role: to.role, orgPath: to.path, partnerId: to.partner_id });
    return this.send(t.workflow_id, { taskId, action: 'reassign', actor: actorOf(user), toUser, reason: dto.reason });
  }

  async nudge(user: AuthUser, taskId: string, dto: NudgeDto) {
    const t = await this.taskInScope(user, taskId);
    return this.send(t.workflow_id, { taskId, action: 'nudge', actor: actorOf(user), reason: dto.reason });
  }

  async escalate(user: AuthUser, taskId: string, dto: EscalateDto) {
    const t = await this.taskInScope(user, taskId);
    return this.send(t.workflow_id, { taskId, action: 'escalate', actor: actorOf(user), reason: dto.reason });
  }

  /**
   * Extends a due date by N working days, counted from the later of the current due date and
   * today (as the workflow counts). A target date is converted to N with the workday table; it must
   * be a working day after that base.
   */
  async extend(user: AuthUser, taskId: string, dto: ExtendDto) {
    const t = await this.taskInScope(user, taskId); // scope first: 404 outside it, whatever the body
    if ((dto.workingDays === undefined) === (dto.dueDate === undefined)) {
      throw new DomainError(422, 'INVALID_DECISION', '请填写延长的工作日数或新的办理期限，二者选其一 / give either workingDays or dueDate');
    }
    let n = dto.workingDays;
    if (dto.dueDate !== undefined) {
      if (!isIsoDate(dto.dueDate)) throw new DomainError(400, 'VALIDATION_FAILED', '办理期限须为有效日期（YYYY-MM-DD） / dueDate must be a real YYYY-MM-DD date');
      await this.workdays.ensureFresh();
      const today = shanghaiDate(new Date());
      const current = typeof t.due_date === 'string' ? t.due_date : shanghaiDate(new Date(t.due_date));
      const base = current > today ? current : today;
      const rows: { d: string; n: number; w: boolean }[] = await this.ds.query(
        `SELECT to_char(date, 'YYYY-MM-DD') AS d, n, is_working AS w FROM workday WHERE date = ANY($1::date[])`,
        [[base, dto.dueDate]],
      );
      const at = new Map(rows.map((r) => [r.d, r]));
      const target = at.get(dto.dueDate);
      if (!target || !at.get(base)) throw new DomainError(422, 'INVALID_DECISION', '办理期限超出了工作日历的范围 / dueDate is outside the working-day calendar');
      if (!target.w) throw new DomainError(422, 'INVALID_DECISION', `${dto.dueDate} 不是工作日 / is not a working day`);
      n = target.n - at.get(base)!.n;
      if (n < 1) throw new DomainError(422, 'INVALID_DECISION', `办理期限须晚于 ${base} / dueDate must be after ${base}`);
      if (n > MAX_EXTENSION_WORKING_DAYS) throw new DomainError(422, 'INVALID_DECISION', `每次最多延长 ${MAX_EXTENSION_WORKING_DAYS} 个工作日 / at most ${MAX_EXTENSION_WORKING_DAYS} working days at a time`);
    }
    return this.send(t.workflow_id, { taskId, action: 'extend', actor: actorOf(user), reason: dto.reason, extendWorkingDays: n });
  }

  // ---- bulk reassignment -------------------------------------------------------------------------

  /** Starts the tracked bulk reassignment of everything `fromUserId` holds in the requester's scope. */
  async bulkReassign(user: AuthUser, dto: BulkReassignDto): Promise<{ operationId: string; workflowId: string }> {
    const from = await this.staff(dto.fromUserId, { activeOnly: false }); // may be deactivated: they left
    if (!from || !from.path.startsWith(user.orgPath)) throw notFound('staff member');
    if (dto.fromUserId === dto.toUserId) throw new DomainError(422, 'INVALID_DECISION', '移交人和接收人是同一人 / fromUserId and toUserId are the same person');
    const to = await this.staff(dto.toUserId, { activeOnly: true });
    if (!to || !to.path.startsWith(user.orgPath)) throw new DomainError(422, 'INVALID_DECISION', '新的经办人不存在、账号已停用或不在您的管辖范围内 / the new assignee does not exist, is inactive or is outside your area');
    const operationId = randomUUID();
    const workflowId = bulkReassignWorkflowId(operationId);
    const input: BulkReassignInput = {
      operationId,
      actor: actorOf(user),
      fromUserId: from.id,
      toUser: actorOf({ id: to.id, name: to.name, role: to.role, orgPath: to.path, partnerId: to.partner_id }),
      reason: dto.reason,
      scopePath: user.orgPath,
    };
    await this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO monitoring_operation (id, kind, status, requested_by, org_path, params, workflow_id) VALUES ($1, 'bulk_reassign', 'running', $2, $3, $4, $5)`,
        [operationId, user.id, user.orgPath, JSON.stringify({ fromUserId: from.id, toUserId: to.id, reason: dto.reason ?? null }), workflowId],
      );
      await this.temporal.workflow.start(BULK_REASSIGN_WORKFLOW, { workflowId, taskQueue: this.config.TEMPORAL_TASK_QUEUE, args: [input] });
    });
    return { operationId, workflowId };
  }

  /** The latest operations started in my scope (what they last recorded; open one for live progress). */
  async operations(user: AuthUser) {
    const rows: any[] = await this.ds.query(
      `SELECT o.id, o.kind, o.status, o.requested_by, s.display_name AS requested_by_name, o.params, o.total, o.processed, o.failed,
              o.created_at, o.finished_at
       FROM monitoring_operation o LEFT JOIN staff_user s ON s.id = o.requested_by
       WHERE o.org_path LIKE $1 ORDER BY o.created_at DESC LIMIT 50`,
      [`${user.orgPath}%`],
    );
    return {
      items: rows.map((r) => ({
        operationId: r.id, kind: r.kind, status: r.status, requestedBy: r.requested_by, requestedByName: r.requested_by_name,
        params: r.params, total: r.total, processed: r.processed, failed: r.failed, createdAt: r.created_at, finishedAt: r.finished_at,
      })),
    };
  }

  /** Progress and per-case failures: live from the workflow, else what it last recorded. */
  async operation(user: AuthUser, id: string) {
    const rows: any[] = await this.ds.query(
      `SELECT * FROM monitoring_operation WHERE id = $1 AND org_path LIKE $2`,
      [id, `${user.orgPath}%`],
    );
    const op = rows[0];
    if (!op) throw notFound('operation');
    let progress: BulkProgress | null = null;
    let source: 'workflow' | 'database' = 'workflow';
    try {
      progress = await this.temporal.withDeadline(Date.now() + 5_000, () => this.temporal.workflow.getHandle(op.workflow_id).query(bulkProgressQuery));
    } catch {
      // Workflow gone from Temporal's retention, or no worker to answer right now: the last recorded state.
      source = 'database';
    }
    const p: Partial<BulkProgress> = progress ?? op.progress ?? {};
    return {
      operationId: op.id,
      kind: op.kind,
      requestedBy: op.requested_by,
      params: op.params,
      createdAt: op.created_at,
      source,
      status: p.status ?? op.status,
      total: p.total ?? op.total,
      processed: p.processed ?? op.processed,
      reassigned: p.reassigned ?? 0,
      skipped: p.skipped ?? 0,
      failed: p.failed ?? op.failed,
      truncated: p.truncated ?? false,
      failures: p.failures ?? [],
      skippedItems: p.skippedItems ?? [],
      runs: p.runs ?? null,
      startedAt: p.startedAt ?? op.created_at,
      finishedAt: p.finishedAt ?? op.finished_at,
    };
  }
}
