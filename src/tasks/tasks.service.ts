import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TaskActionInput } from '../../workflows/contracts';
import type { AuthUser } from '../auth/auth-user';
import { DomainError, notFound } from '../common/domain-error';
import { clampLimit, decodeCursor, encodeCursor } from '../common/keyset';
import { shanghaiDate } from '../domain/calendar/working-days';
import { CasesService, taskView } from '../cases/cases.service';
import { DecisionDto, FollowUpQuery, InboxQuery } from './tasks.dto';
import { actorOf, TaskUpdates } from './task-updates';

/**
 * Whether the user may act on a task row: the read-model mirror of the case workflow's own check
 * (a partner task: that partner's staff; otherwise the task's role, in scope of its org unit).
 */
function mayActOn(user: AuthUser, t: { assignee_role: string; partner_id: string | null; org_path: string }): boolean {
  if (t.partner_id) return user.role === 'partner_staff' && user.partnerId === t.partner_id;
  return user.role === t.assignee_role && t.org_path.startsWith(user.orgPath);
}

@Injectable()
export class TasksService {
  constructor(
    private readonly ds: DataSource,
    private readonly cases: CasesService,
    private readonly updates: TaskUpdates,
  ) {}

  /** Conditions for tasks the user may act on: assigned to them, or unclaimed in their role and area. */
  private visibility(user: AuthUser, view: 'all' | 'mine' | 'claimable', params: unknown[]): string {
    const me = () => `t.assignee_user_id = $${params.push(user.id)}`;
    const pool = () =>
      user.role === 'partner_staff'
        ? `(t.assignee_user_id IS NULL AND t.assignee_role = 'partner_staff' AND t.partner_id = $${params.push(user.partnerId ?? '00000000-0000-0000-0000-000000000000')})`
        : `(t.assignee_user_id IS NULL AND t.partner_id IS NULL AND t.assignee_role = $${params.push(user.role)} AND t.org_path LIKE $${params.push(`${user.orgPath}%`)})`;
    return view === 'mine' ? me() : view === 'claimable' ? pool() : `(${me()} OR ${pool()})`;
  }

  /** My inbox: open tasks assigned to me plus claimable ones in scope; earliest due first; keyset pages. */
  async inbox(user: AuthUser, q: InboxQuery) {
    const params: unknown[] = [];
    const where = [`t.status = 'open'`, this.visibility(user, q.view ?? 'all', params)];
    if (q.programme) where.push(`t.programme = $${params.push(q.programme)}`);
    if (q.step) where.push(`t.step = $${params.push(q.step)}`);
    if (q.kind) where.push(`t.kind = $${params.push(q.kind)}`);
    const today = shanghaiDate(new Date());
    if (q.due === 'overdue') where.push(`t.due_at < now()`);
    if (q.due === 'today') where.push(`t.due_date = $${params.push(today)}`);
    if (q.due === 'week') where.push(`t.due_date <= ($${params.push(today)}::date + 7)`);
    const cur = decodeCursor(q.cursor, 2);
    if (cur) where.push(`(t.due_at, t.id) > ($${params.push(cur[0])}::timestamptz, $${params.push(cur[1])})`);
    const limit = clampLimit(q.limit);
    const rows: any[] = await this.ds.query(
      `SELECT t.*, c.case_no, p.name AS person_name, u.display_name AS assignee_name
       FROM task t JOIN case_file c ON c.id = t.case_id JOIN person p ON p.id = c.person_id
       LEFT JOIN staff_user u ON u.id = t.assignee_user_id
       WHERE ${where.join(' AND ')} ORDER BY t.due_at, t.id LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({ ...taskView(r), caseNo: r.case_no, personName: r.person_name, claimable: r.assignee_user_id === null })),
      nextCursor: rows.length > limit && last ? encodeCursor([new Date(last.due_at).toISOString(), last.id]) : null,
    };
  }

  async followUps(user: AuthUser, q: FollowUpQuery) {
    const params: unknown[] = [];
    // Follow-up visits in my area (or, for partner staff, of my partner), whoever holds them.
    const scope =
      user.role === 'partner_staff'
        ? `t.partner_id = $${params.push(user.partnerId ?? '00000000-0000-0000-0000-000000000000')}`
        : `t.org_path LIKE $${params.push(`${user.orgPath}%`)}`;
    const where = [`t.kind = 'followup'`, scope];
    if ((q.status ?? 'open') !== 'all') where.push(`t.status = $${params.push(q.status ?? 'open')}`);
    if (q.from) where.push(`t.due_date >= $${params.push(q.from)}`);
    if (q.to) where.push(`t.due_date <= $${params.push(q.to)}`);
    const rows: any[] = await this.ds.query(
      `SELECT t.*, c.case_no, p.name AS person_name FROM task t JOIN case_file c ON c.id = t.case_id JOIN person p ON p.id = c.person_id
       WHERE ${where.join(' AND ')} ORDER BY t.due_date, t.id LIMIT 500`,
      params,
    );
    return { items: rows.map((r) => ({ ...taskView(r), caseNo: r.case_no, personName: r.person_name })) };
  }

  /**
   * Sends an action to the case workflow as an Update. The workflow's validator refuses closed,
   * foreign or malformed actions (mapped to 409/403/422); on success the Update returns once the
   * read model holds the result, so the caller reads its own write.
   */
  async act(user: AuthUser, caseId: string, taskId: string, action: TaskActionInput['action'], dto: Partial<DecisionDto>, onlyKind?: string) {
    const c = await this.cases.visibleCase(user, caseId); // 404 outside scope
    const rows: any[] = await this.ds.query(
      `SELECT kind, status, assignee_role, partner_id, org_path FROM task WHERE id = $1 AND case_id = $2`,
      [taskId, caseId],
    );
    if (!rows[0]) throw notFound('task');
    if (onlyKind && rows[0].kind !== onlyKind) {
      // Role before validation: someone who may not act on this task learns nothing about it (403,
      // as the workflow would answer), only its assignees hear that it is the wrong kind (422).
      if (!mayActOn(user, rows[0])) throw new DomainError(403, 'FOREIGN_TASK', '该任务不属于您的角色或辖区 / this task is not in your role or area');
      throw new DomainError(422, 'INVALID_DECISION', `任务 ${taskId} 不是此类任务（${onlyKind}） / task ${taskId} is not a ${onlyKind} task`);
    }
    const input: TaskActionInput = { taskId, action, actor: actorOf(user), reason: dto.reason, data: dto.data };
    if (action === 'reassign') {
      if (!dto.toUserId) throw new DomainError(422, 'INVALID_DECISION', '改派须选择新的经办人 / toUserId is required to reassign');
      const to: any[] = await this.ds.query(
        `SELECT s.id, s.display_name AS name, s.role, s.partner_id, o.path FROM staff_user s JOIN org_unit o ON o.code = s.org_unit_code
         WHERE s.id = $1 AND s.active`,
        [dto.toUserId],
      );
      if (!to[0]) throw new DomainError(422, 'INVALID_DECISION', '新的经办人不存在或账号已停用 / the new assignee does not exist or is inactive');
      input.toUser = actorOf({ id: to[0].id, name: to[0].name, role: to[0].role, orgPath: to[0].path, partnerId: to[0].partner_id });
    }
    return this.updates.send(c.workflow_id, input);
  }

  async forCase(user: AuthUser, caseId: string) {
    await this.cases.visibleCase(user, caseId);
    const rows: any[] = await this.ds.query(`SELECT * FROM task WHERE case_id = $1 ORDER BY created_at, id`, [caseId]);
    return rows.map(taskView);
  }
}
