import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { caseWorkflowId, PROGRAMMES } from '../../workflows/contracts';
import type { CaseReceipt } from '../../workflows/contracts';
import type { AuthUser } from '../auth/auth-user';
import { caseScopeSql, inUserScope } from '../auth/scope';
import { personAreaSql } from '../persons/persons.service';
import { clampLimit, decodeCursor, encodeCursor } from '../common/keyset';
import { DomainError, notFound } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ageOn, maskResidentId } from '../domain/identity/resident-id';
import { isIsoDate, shanghaiDate } from '../domain/calendar/working-days';
import { ProgrammeSettingsService } from '../programmes/programme-settings.service';
import { PiiCipherService } from '../security/pii-cipher.service';
import { decryptPersonRow } from '../security/pii-crypto';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module';
import { ListCasesQuery } from './cases.dto';
import { adapterFor } from './programmes';
import type { CaseArea, PersonRow, ProgrammeAdapter } from './programmes/programme-adapter';

/** How far back a receipt date (受理日期) may lie, in calendar days. */
export const MAX_RECEIPT_DAYS_BACK = 30;

/**
 * Checks a receipt date (YYYY-MM-DD, Asia/Shanghai) against today: not in the future, at most
 * MAX_RECEIPT_DAYS_BACK days back (400 with the reason otherwise). Returns the start of that day
 * as an instant for the workflow, or null when absent or today (the clock starts when the task opens).
 */
export function receiptInstant(receivedAt: string | undefined | null, today: string): string | null {
  if (receivedAt === undefined || receivedAt === null || receivedAt === '') return null;
  if (!isIsoDate(receivedAt)) {
    throw new DomainError(400, 'VALIDATION_FAILED', `受理日期须为有效日期 YYYY-MM-DD / receivedAt must be a real date YYYY-MM-DD (got ${JSON.stringify(receivedAt).slice(0, 40)})`);
  }
  if (receivedAt > today) throw new DomainError(400, 'VALIDATION_FAILED', `受理日期不能晚于今天（${today}） / receivedAt ${receivedAt} is in the future (today is ${today})`);
  const earliest = new Date(Date.parse(`${today}T00:00:00Z`) - MAX_RECEIPT_DAYS_BACK * 86_400_000).toISOString().slice(0, 10);
  if (receivedAt < earliest) {
    throw new DomainError(400, 'VALIDATION_FAILED', `受理日期最多可追溯 ${MAX_RECEIPT_DAYS_BACK} 天（不早于 ${earliest}） / receivedAt may be at most ${MAX_RECEIPT_DAYS_BACK} days back (not before ${earliest})`);
  }
  return receivedAt === today ? null : new Date(`${receivedAt}T00:00:00+08:00`).toISOString();
}

/** Roles that may see full resident IDs; others get them masked (PIPL: sensitive personal information). */
export const FULL_ID_ROLES = new Set(['county_officer', 'admin']);
/** Roles that operate the platform and may follow a case to its workflow in the Temporal UI. */
export const OPERATOR_ROLES = new Set(['admin', 'manager']);

@Injectable()
export class CasesService {
  constructor(
    private readonly ds: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: ProgrammeSettingsService,
    private readonly pii: PiiCipherService,
  ) {}

  /** The person, if visible to the user by hukou or residence (404 otherwise, so existence outside scope is not leaked). */
  private async personInScope(user: AuthUser, personId: string, db: EntityManager = this.ds.manager): Promise<PersonRow> {
    const rows: any[] = await db.query(`SELECT * FROM person p WHERE p.id = $1 AND ${personAreaSql(2)}`, [personId, `${user.orgPath}%`]);
    if (!rows[0]) throw notFound('person');
    rows[0] = decryptPersonRow(this.pii.get(), rows[0]);
    return rows[0];
  }

  /**
   * Gathers the facts and runs the programme's eligibility rules (each explained). Every query goes
   * through `db`: inside start()'s transaction a second pool connection per request would deadlock
   * the pool under load (N concurrent registrations each holding one connection, waiting for another).
   */
  async precheck(user: AuthUser, programme: string, personId: string, details: Record<string, unknown> = {}, db: EntityManager = this.ds.manager) {
    const adapter = adapterFor(programme);
    const person = await this.personInScope(user, personId, db);
    const area = caseArea(user, adapter, person, details);
    const today = shanghaiDate(new Date());
    // The jurisdiction of the case's area decides (a residence-permit case: the residence county's settings).
    const settings = await this.settings.resolve(programme, area.orgPath, today, db);
    const check = await adapter.precheck({ db, user, person, area, today, settings, details });
    return { ...check, person, area, settings, adapter };
  }

  /**
   * Registers a case: eligibility (422 with every failed rule), then, in one transaction, the case
   * row and the workflow start; if Temporal refuses, the row is rolled back (nothing half-written).
   */
  async start(user: AuthUser, programme: string, personId: string, details: Record<string, unknown> = {}, receivedAt?: string) {
    const adapter = adapterFor(programme);
    if (!adapter.registrarRoles.includes(user.role)) {
      throw new DomainError(403, 'FORBIDDEN', `角色 ${user.role} 不能登记该项目 / the role ${user.role} cannot register ${programme} cases`);
    }
    const received = receiptInstant(receivedAt, shanghaiDate(new Date()));
    return this.ds.transaction(async (m) => {
      // One registration at a time per person, so two clicks cannot open two cases.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`case-start:${personId}`]);
      const check = await this.precheck(user, programme, personId, details, m);
      if (!check.eligible) {
        throw new DomainError(422, 'NOT_ELIGIBLE', check.rules.filter((r) => !r.ok).map((r) => r.message).join('；'), { rules: check.rules });
      }
      const p = check.person;
      const [unit] = await m.query(`SELECT name, active FROM org_unit WHERE code = $1`, [p.hukou_org_code]);
      if (unit && !unit.active) throw new DomainError(422, 'ORG_INACTIVE', `户籍所在单位 ${unit.name}（${p.hukou_org_code}）已停用 / the person's org unit ${p.hukou_org_code} is deactivated`);
      const caseId = randomUUID();
      const [{ n }] = await m.query(`SELECT nextval('case_no_seq') AS n`);
      const caseNo = `${adapter.caseNoPrefix}-${shanghaiDate(new Date()).slice(0, 4)}-${String(n).padStart(6, '0')}`;
      const workflowId = caseWorkflowId(caseId);
      const row = adapter.caseRow(check);
      await m.query(
        `INSERT INTO case_file (id, case_no, programme, person_id, org_unit_code, org_path, status, step, waiting_on,
           workflow_id, rule_version, campaign_id, created_by, data, projected_seq, opened_at)
         VALUES ($1,$2,$3,$4,$5,$6,'open','registered','staff',$7,$8,$9,$10,$11,0,now())`,
        [caseId, caseNo, programme, personId, check.area.orgUnitCode, check.area.orgPath, workflowId, check.settings.version, row.campaignId ?? null, user.id, JSON.stringify(row.data)],
      );
      const input = adapter.workflowInput({ caseId, caseNo, person: p, area: check.area, settings: check.settings, openedBy: { id: user.id, name: user.name, role: user.role } }, check) as CaseReceipt;
      if (received) input.receivedAt = received; // the first step's time limit counts from the receipt
      // No personal data in the workflow id; the input carries ids and settings only.
      await this.temporal.workflow.start(PROGRAMMES[programme].workflowType, {
        workflowId,
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        args: [input],
      });
      return { caseId, caseNo, programme, status: 'open', step: 'registered', priority: check.priority, rules: check.rules, ...check.info, receivedAt: receivedAt || shanghaiDate(new Date()) };
    });
  }

  async list(user: AuthUser, q: ListCasesQuery) {
    const params: unknown[] = [];
    const where = [caseScopeSql(user, params)];
    if (q.status) where.push(`c.status = $${params.push(q.status)}`);
    if (q.programme) where.push(`c.programme = $${params.push(q.programme)}`);
    if (q.step) where.push(`c.step = $${params.push(q.step)}`);
    if (q.orgUnitCode) where.push(`c.org_path LIKE '%/' || $${params.push(q.orgUnitCode)} || '/%'`);
    const cur = decodeCursor(q.cursor, 2);
    if (cur) where.push(`(c.opened_at, c.id) < ($${params.push(cur[0])}::timestamptz, $${params.push(cur[1])}::uuid)`);
    const limit = clampLimit(q.limit);
    const rows: any[] = await this.ds.query(
      `SELECT c.id, c.case_no, c.programme, c.status, c.step, c.waiting_on, c.outcome, c.org_unit_code, o.name AS org_name,
              c.opened_at, c.closed_at, c.data->>'priority' AS priority, p.name AS person_name
       FROM case_file c JOIN person p ON p.id = c.person_id LEFT JOIN org_unit o ON o.code = c.org_unit_code
       WHERE ${where.join(' AND ')} ORDER BY c.opened_at DESC, c.id DESC LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        caseId: r.id, caseNo: r.case_no, programme: r.programme, status: r.status, step: r.step, waitingOn: r.waiting_on,
        outcome: r.outcome, orgUnitCode: r.org_unit_code, orgName: r.org_name, personName: r.person_name,
        priority: r.priority === null ? null : Number(r.priority), openedAt: r.opened_at, closedAt: r.closed_at,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([new Date(last.opened_at).toISOString(), last.id]) : null,
    };
  }

  /** The case row if the user may see it; 404 otherwise. */
  async visibleCase(user: AuthUser, caseId: string) {
    const params: unknown[] = [caseId];
    const rows: any[] = await this.ds.query(`SELECT c.* FROM case_file c WHERE c.id = $1 AND ${caseScopeSql(user, params)}`, params);
    if (!rows[0]) throw notFound('case');
    return rows[0];
  }

  async detail(user: AuthUser, caseId: string) {
    const c = await this.visibleCase(user, caseId);
    const [row] = await this.ds.query(`SELECT * FROM person WHERE id = $1`, [c.person_id]);
    const p = decryptPersonRow(this.pii.get(), row);
    const tasks: any[] = await this.ds.query(
      `SELECT t.*, u.display_name AS assignee_name FROM task t LEFT JOIN staff_user u ON u.id = t.assignee_user_id
       WHERE t.case_id = $1 ORDER BY t.created_at, t.id`,
      [caseId],
    );
    const events: any[] = await this.ds.query(`SELECT * FROM case_event WHERE case_id = $1 ORDER BY seq`, [caseId]);
    const fullId = FULL_ID_ROLES.has(user.role);
    const today = shanghaiDate(new Date());
    const birth = p.birth_date instanceof Date ? p.birth_date.toISOString().slice(0, 10) : String(p.birth_date);
    return {
      case: {
        caseId: c.id, caseNo: c.case_no, programme: c.programme, status: c.status, step: c.step, waitingOn: c.waiting_on,
        outcome: c.outcome, orgUnitCode: c.org_unit_code, ruleVersion: c.rule_version, partnerId: c.partner_id,
        openedAt: c.opened_at, closedAt: c.closed_at, data: c.data, workflowId: c.workflow_id,
        // the workflow in the Temporal UI: for the operators (admin, manager) only
        temporalUiUrl: this.config.TEMPORAL_UI_URL && OPERATOR_ROLES.has(user.role) ? `${this.config.TEMPORAL_UI_URL}/namespaces/${this.config.TEMPORAL_NAMESPACE}/workflows/${c.workflow_id}` : null,
      },
      person: {
        personId: p.id, name: p.name, sex: p.sex, age: ageOn(birth, today),
        residentId: fullId ? p.resident_id : maskResidentId(p.resident_id),
        disabilityCategory: fullId ? p.disability_category : null, disabilityGrade: fullId ? p.disability_grade : null,
        hardship: p.hardship, phone: fullId ? p.phone : null,
      },
      tasks: tasks.map(taskView),
      timeline: events.map((e) => ({
        seq: e.seq, type: e.type, step: e.step, taskId: e.task_id, actor: e.actor_id ? { id: e.actor_id, name: e.actor_name, role: e.actor_role } : null,
        decision: e.decision, reason: e.reason, ruleVersion: e.rule_version, data: e.data, at: e.at,
      })),
    };
  }
}

/**
 * The village a new case belongs to (its org unit and path: the area whose township and county
 * staff get its tasks). The hukou village, unless the programme routes elsewhere (child rehab under
 * a residence permit: the residence village). The registering user must have that village in scope:
 * seeing the person through one area does not let them open a case in the other.
 */
export function caseArea(user: AuthUser, adapter: ProgrammeAdapter, person: PersonRow, details: Record<string, unknown>): CaseArea {
  const area = adapter.caseArea?.(person, details) ?? { orgUnitCode: person.hukou_org_code, orgPath: person.org_path, basis: 'hukou' as const };
  if (!inUserScope(user, area.orgPath)) {
    throw new DomainError(
      403,
      'FORBIDDEN',
      area.basis === 'residence'
        ? `该儿童的居住地（${area.orgUnitCode}）不在您的管辖范围内，请由居住地的工作人员受理 / the person's residence village ${area.orgUnitCode} is outside your area; staff of the residence area register this application`
        : `该人员的户籍地（${area.orgUnitCode}）不在您的管辖范围内，请由户籍地的工作人员受理 / the person's hukou village ${area.orgUnitCode} is outside your area; staff of the hukou area register this case`,
    );
  }
  return area;
}

export function taskView(t: any) {
  return {
    taskId: t.id, caseId: t.case_id, programme: t.programme, step: t.step, kind: t.kind, status: t.status,
    assigneeRole: t.assignee_role, orgUnitCode: t.org_unit_code, partnerId: t.partner_id, assigneeUserId: t.assignee_user_id,
    assigneeName: t.assignee_name ?? null, dueAt: t.due_at, dueDate: t.due_date instanceof Date ? t.due_date.toISOString().slice(0, 10) : t.due_date,
    overdue: t.overdue || (t.status === 'open' && new Date(t.due_at).getTime() < Date.now()),
    decision: t.decision, note: t.note, createdAt: t.created_at, completedAt: t.completed_at,
  };
}
