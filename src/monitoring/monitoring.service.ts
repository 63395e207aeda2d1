import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { caseViewQuery, PROGRAMMES } from '../../workflows/contracts';
import type { CaseView, TaskView } from '../../workflows/contracts';
import type { AuthUser } from '../auth/auth-user';
import { caseScopeSql } from '../auth/scope';
import { DomainError, notFound } from '../common/domain-error';
import { clampLimit, decodeCursor, encodeCursor } from '../common/keyset';
import { isIsoDate, shanghaiDate } from '../domain/calendar/working-days';
import { ProgrammeSettingsService } from '../programmes/programme-settings.service';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module';
import { stepLabel } from './labels';
import { BottleneckQuery, ScopeQuery, StuckCategory, StuckQuery, SummaryQuery } from './monitoring.dto';
import { pathDepth, resolveScope, ScopeUnit } from './scope';
import { idleCaseLine, WaitFacts, whyStuckLine } from './why';
import { WorkdayService } from './workday.service';

export const DEFAULT_NO_PROGRESS_DAYS = 5;

/**
 * Scope of open tasks: the case's org path under the scope ($1). An open task belongs to an open
 * case (closing a case cancels its tasks), and saying so lets a small scope (a township) start from
 * its open cases (ix_case_org_path: org_path, status) instead of every open task of the province.
 */
const OPEN_CASE_IN_SCOPE = `c.org_path LIKE $1 AND c.status = 'open'`;
export const DEFAULT_PARTNER_ACK_DAYS = 2;

/** When a task's time limit started: when it opened, or the case's receipt date (受理日期) for its first task. */
const CLOCK = 'coalesce(t.clock_start_at, t.created_at)';

/** Aging buckets (working days open) of the summary. */
export const AGING_BUCKETS: { key: string; min: number; max: number | null }[] = [
  { key: '0-2', min: 0, max: 2 },
  { key: '3-5', min: 3, max: 5 },
  { key: '6-10', min: 6, max: 10 },
  { key: '11-20', min: 11, max: 20 },
  { key: '21+', min: 21, max: null },
];

/** One rule "tasks of this programme/step are stuck after N working days"; step '*' = every other step. */
export interface DaysRule {
  programme: string | '*';
  step: string | '*';
  days: number;
}

/** Parses "5" or "screening:3,surgery:10,*:5" (query parameter) into rules for every programme. */
export function parseDaysSpec(spec: string | undefined): DaysRule[] | null {
  if (!spec) return null;
  if (/^\d+$/.test(spec)) return [{ programme: '*', step: '*', days: Number(spec) }];
  return spec.split(',').map((part) => {
    const [step, days] = part.split(':');
    return { programme: '*', step, days: Number(days) };
  });
}

/** settings.rules.noProgressDays may be a number or { step: days, '*': days }. */
export function rulesFromSettings(programme: string, value: unknown): DaysRule[] {
  if (typeof value === 'number' && Number.isFinite(value)) return [{ programme, step: '*', days: value }];
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, d]) => typeof d === 'number' && Number.isFinite(d))
      .map(([step, d]) => ({ programme, step, days: d as number }));
  }
  return [];
}

/** The ISO date `n` days after `d` (calendar days). */
export const addIsoDays = (d: string, n: number): string => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** The Monday of the week (Monday–Sunday) holding `d`. */
export const mondayOf = (d: string): string => addIsoDays(d, -((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7));

/** Shanghai calendar date of a timestamp (Date or ISO string), or a DATE column value as it is. */
const ymd = (v: unknown): string => {
  if (v instanceof Date) return shanghaiDate(v);
  const s = String(v);
  return s.length > 10 ? shanghaiDate(new Date(s)) : s;
};

export interface StuckItem {
  taskId: string;
  caseId: string;
  caseNo: string;
  programme: string;
  step: string;
  stepLabel: string;
  kind: string;
  assigneeRole: string;
  orgUnitCode: string;
  orgUnitName: string | null;
  partnerId: string | null;
  partnerName: string | null;
  assigneeUserId: string | null;
  assigneeName: string | null;
  createdAt: string;
  /** When the time limit started: createdAt, or the case's receipt date for its first task. */
  clockStartAt: string;
  since: string;
  dueAt: string;
  dueDate: string;
  workingDaysOpen: number;
  workingDaysLeft: number;
  overdueWorkingDays: number;
  sla: string;
  waitingOn: string;
  remindedAt: string | null;
  escalatedAt: string | null;
  why: string;
  whyEn: string;
}

/**
 * Stuck-case monitor, bottlenecks and "why is this case stuck", read from the read models (task,
 * case_file) with working-day arithmetic on the workday table, plus the case workflow's own view.
 * Every query is limited to the requester's scope by the case's org path: a township manager sees
 * the township's cases, wherever (which level, which partner) they wait.
 */
@Injectable()
export class MonitoringService {
  constructor(
    private readonly ds: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly workdays: WorkdayService,
    private readonly settings: ProgrammeSettingsService,
  ) {}

  /** Today (Shanghai) and its running working-day count, after making sure the workday table is current. */
  private todayCache?: { key: string; n: number };
  async today(): Promise<{ date: string; n: number }> {
    await this.workdays.ensureFresh();
    const date = shanghaiDate(new Date());
    const key = `${this.workdays.version}|${date}`;
    if (this.todayCache?.key === key) return { date, n: this.todayCache.n };
    const rows: { n: number }[] = await this.ds.query(`SELECT n FROM workday WHERE date = $1`, [date]);
    if (!rows[0]) throw new DomainError(503, 'WORKDAY_TABLE_EMPTY', '工作日历尚未生成，请稍后再试 / the working-day table is not filled yet; try again shortly');
    this.todayCache = { key, n: rows[0].n };
    return { date, n: rows[0].n };
  }

  /** The rows of the page with names and working-day figures, and their why-stuck lines. */
  async enrich(rows: any[], today: { date: string; n: number }): Promise<StuckItem[]> {
    if (!rows.length) return [];
    const dates = new Set<string>();
    for (const r of rows) {
      dates.add(ymd(r.clock_start_at ?? r.created_at));
      dates.add(ymd(r.due_date));
    }
    const codes = [...new Set(rows.map((r) => r.org_unit_code))];
    const users = [...new Set(rows.map((r) => r.assignee_user_id).filter(Boolean))];
    const partners = [...new Set(rows.map((r) => r.partner_id).filter(Boolean))];
    const [ns, units, staff, orgs] = await Promise.all([
      this.ds.query(`SELECT to_char(date, 'YYYY-MM-DD') AS d, n FROM workday WHERE date = ANY($1::date[])`, [[...dates]]) as Promise<{ d: string; n: number }[]>,
      this.ds.query(`SELECT code, name FROM org_unit WHERE code = ANY($1)`, [codes]) as Promise<{ code: string; name: string }[]>,
      users.length ? (this.ds.query(`SELECT id, display_name AS name FROM staff_user WHERE id = ANY($1::uuid[])`, [users]) as Promise<{ id: string; name: string }[]>) : Promise.resolve([]),
      partners.length ? (this.ds.query(`SELECT id, name FROM partner WHERE id = ANY($1::uuid[])`, [partners]) as Promise<{ id: string; name: string }[]>) : Promise.resolve([]),
    ]);
    const nOf = new Map(ns.map((x) => [x.d, x.n]));
    const unitName = new Map(units.map((u) => [u.code, u.name]));
    const userName = new Map(staff.map((u) => [u.id, u.name]));
    const partnerName = new Map(orgs.map((p) => [p.id, p.name]));
    const now = Date.now();
    return rows.map((r) => {
      // The task's time limit started here: when it opened, or the case's receipt date (受理日期).
      const since = ymd(r.clock_start_at ?? r.created_at);
      const dueDate = ymd(r.due_date);
      const facts: WaitFacts = {
        step: r.step,
        kind: r.kind,
        role: r.assignee_role,
        orgUnitCode: r.org_unit_code,
        orgUnitName: unitName.get(r.org_unit_code) ?? null,
        partnerId: r.partner_id,
        partnerName: r.partner_id ? (partnerName.get(r.partner_id) ?? null) : null,
        assigneeUserId: r.assignee_user_id,
        assigneeName: r.assignee_user_id ? (userName.get(r.assignee_user_id) ?? null) : null,
        since,
        workingDaysOpen: today.n - (nOf.get(since) ?? today.n),
        dueDate,
        workingDaysLeft: (nOf.get(dueDate) ?? today.n) - today.n,
        overdue: new Date(r.due_at).getTime() < now,
        waitingOn: r.partner_id ? 'partner' : r.case_waiting_on === 'resident' ? 'resident' : 'staff',
        escalatedAt: r.escalated_at,
      };
      const line = whyStuckLine(facts);
      return {
        taskId: r.id,
        caseId: r.case_id,
        caseNo: r.case_no,
        programme: r.programme,
        step: r.step,
        stepLabel: stepLabel(r.step),
        kind: r.kind,
        assigneeRole: r.assignee_role,
        orgUnitCode: r.org_unit_code,
        orgUnitName: facts.orgUnitName ?? null,
        partnerId: r.partner_id,
        partnerName: facts.partnerName ?? null,
        assigneeUserId: r.assignee_user_id,
        assigneeName: facts.assigneeName ?? null,
        createdAt: new Date(r.created_at).toISOString(),
        clockStartAt: new Date(r.clock_start_at ?? r.created_at).toISOString(),
        since,
        dueAt: new Date(r.due_at).toISOString(),
        dueDate,
        workingDaysOpen: facts.workingDaysOpen,
        workingDaysLeft: facts.workingDaysLeft,
        overdueWorkingDays: line.overdueWorkingDays,
        sla: line.sla,
        waitingOn: facts.waitingOn,
        remindedAt: r.reminded_at ? new Date(r.reminded_at).toISOString() : null,
        escalatedAt: r.escalated_at ? new Date(r.escalated_at).toISOString() : null,
        why: line.zh,
        whyEn: line.en,
      };
    });
  }

  // ---- configuration: N working days per programme/step ------------------------------------------

  /** Settings in force for the scope (cached for 30 s: they change by admin edits with an effective date). */
  private readonly settingsCache = new Map<string, { at: number; rules: Record<string, unknown> }>();
  private async rulesOf(programme: string, path: string, today: string): Promise<Record<string, unknown>> {
    const k = `${programme}|${path}|${today}`;
    const hit = this.settingsCache.get(k);
    if (hit && Date.now() - hit.at < 30_000) return hit.rules;
    const s = await this.settings.resolve(programme, path, today);
    if (this.settingsCache.size > 1000) this.settingsCache.clear();
    this.settingsCache.set(k, { at: Date.now(), rules: s.rules });
    return s.rules;
  }

  private async daysRules(scope: ScopeUnit, today: string, spec: string | undefined, key: 'noProgressDays' | 'partnerAckDays', programme?: string): Promise<DaysRule[]> {
    const fromQuery = parseDaysSpec(spec);
    if (fromQuery) return fromQuery;
    const programmes = (programme ? [programme] : Object.keys(PROGRAMMES)).filter((p) => PROGRAMMES[p]);
    const all = await Promise.all(programmes.map(async (p) => rulesFromSettings(p, (await this.rulesOf(p, scope.path, today))[key])));
    return all.flat();
  }

  /** Start-of-day cut-off instants "opened at least N working days before today", cached per workday version and day. */
  private readonly cutoffCache = new Map<string, string>();
  private async cutoffs(days: number[], today: { date: string; n: number }): Promise<Map<number, string>> {
    const key = (d: number) => `${this.workdays.version}|${today.date}|${d}`;
    const missing = days.filter((d) => !this.cutoffCache.has(key(d)));
    if (missing.length) {
      const rows: { days: number; next: string }[] = await this.ds.query(
        `SELECT x.days, to_char(coalesce(max(w.date), (SELECT min(date) FROM workday) - 1) + 1, 'YYYY-MM-DD') AS next
         FROM unnest($1::int[]) AS x(days) LEFT JOIN workday w ON w.n <= $2 - x.days GROUP BY x.days`,
        [missing, today.n],
      );
      if (this.cutoffCache.size > 1000) this.cutoffCache.clear();
      for (const r of rows) this.cutoffCache.set(key(r.days), `${r.next}T00:00:00+08:00`);
    }
    return new Map(days.map((d) => [d, this.cutoffCache.get(key(d))!]));
  }

  /**
   * SQL condition "the task has been open at least N working days" for the rules, with the default
   * for everything else. The cut-off instants come from the workday table (n(today) − N).
   */
  private async openForAtLeast(rules: DaysRule[], dflt: number, today: { date: string; n: number }, params: unknown[]): Promise<string> {
    const cutoff = await this.cutoffs([...new Set([dflt, ...rules.map((r) => r.days)])], today);
    const specific = rules.filter((r) => r.step !== '*');
    const general = rules.filter((r) => r.step === '*');
    const arms: string[] = [];
    for (const r of specific) {
      const prog = r.programme === '*' ? '' : `t.programme = $${params.push(r.programme)} AND `;
      arms.push(`WHEN ${prog}t.step = $${params.push(r.step)} THEN ${CLOCK} < $${params.push(cutoff.get(r.days))}::timestamptz`);
    }
    for (const r of general) {
      if (r.programme === '*') continue;
      arms.push(`WHEN t.programme = $${params.push(r.programme)} THEN ${CLOCK} < $${params.push(cutoff.get(r.days))}::timestamptz`);
    }
    const fallbackDays = general.find((r) => r.programme === '*')?.days ?? dflt;
    const latest = [...cutoff.values()].sort().at(-1)!;
    // The plain range lets the planner walk ix_task_open_since (open tasks by when their clock
    // started, the order the lists page in); the CASE applies each rule.
    const range = `${CLOCK} < $${params.push(latest)}::timestamptz`;
    const elseArm = `${CLOCK} < $${params.push(cutoff.get(fallbackDays))}::timestamptz`;
    return arms.length ? `${range} AND (CASE ${arms.join(' ')} ELSE ${elseArm} END)` : `${range} AND ${elseArm}`;
  }

  private async categoryWhere(category: StuckCategory, scope: ScopeUnit, q: { noProgressDays?: string; partnerAckDays?: number; programme?: string }, today: { date: string; n: number }, params: unknown[]): Promise<{ where: string; sort: 'due_at' | 'since' }> {
    switch (category) {
      case 'overdue':
        return { where: `t.kind <> 'followup' AND t.due_at < now()`, sort: 'due_at' };
      case 'followup_overdue':
        return { where: `t.kind = 'followup' AND t.due_at < now()`, sort: 'due_at' };
      case 'no_progress': {
        const rules = await this.daysRules(scope, today.date, q.noProgressDays, 'noProgressDays', q.programme);
        return { where: `t.kind <> 'followup' AND ${await this.openForAtLeast(rules, DEFAULT_NO_PROGRESS_DAYS, today, params)}`, sort: 'since' };
      }
      case 'partner_unacknowledged': {
        const rules =
          q.partnerAckDays !== undefined
            ? [{ programme: '*', step: '*', days: q.partnerAckDays }]
            : await this.daysRules(scope, today.date, undefined, 'partnerAckDays', q.programme);
        return {
          where: `t.partner_id IS NOT NULL AND t.assignee_user_id IS NULL AND t.kind <> 'followup' AND ${await this.openForAtLeast(rules, DEFAULT_PARTNER_ACK_DAYS, today, params)}`,
          sort: 'since',
        };
      }
    }
  }

  // ---- the stuck-case list -------------------------------------------------------------------------

  /** One category of stuck tasks in scope, oldest first, keyset pages, each with its why-stuck line. */
  async stuck(user: AuthUser, q: StuckQuery) {
    const scope = await resolveScope(this.ds, user, q.orgUnitCode);
    const today = await this.today();
    const params: unknown[] = [`${scope.path}%`];
    const { where, sort } = await this.categoryWhere(q.category, scope, q, today, params);
    const conds = [`t.status = 'open'`, OPEN_CASE_IN_SCOPE, where];
    if (q.programme) conds.push(`t.programme = $${params.push(q.programme)}`);
    if (q.step) conds.push(`t.step = $${params.push(q.step)}`);
    // Overdue lists page by due date; the age lists by when the clock started (receipt date or opening).
    const sortSql = sort === 'due_at' ? 't.due_at' : CLOCK;
    const cur = decodeCursor(q.cursor, 2);
    if (cur) conds.push(`(${sortSql}, t.id) > ($${params.push(cur[0])}::timestamptz, $${params.push(cur[1])})`);
    const limit = clampLimit(q.limit);
    const rows: any[] = await this.ds.query(
      `SELECT t.id, t.case_id, t.programme, t.step, t.kind, t.assignee_role, t.org_unit_code, t.partner_id, t.assignee_user_id,
              t.due_at, t.due_date, t.created_at, t.clock_start_at, t.reminded_at, t.escalated_at, c.case_no, c.waiting_on AS case_waiting_on
       FROM task t JOIN case_file c ON c.id = t.case_id
       WHERE ${conds.join(' AND ')}
       ORDER BY ${sortSql}, t.id LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      category: q.category,
      orgUnit: { code: scope.code, name: scope.name },
      today: today.date,
      items: await this.enrich(page, today),
      nextCursor: rows.length > limit && last ? encodeCursor([new Date(sort === 'due_at' ? last.due_at : (last.clock_start_at ?? last.created_at)).toISOString(), last.id]) : null,
    };
  }

  // ---- summary: counts, aging buckets, the ten oldest ----------------------------------------------

  async summary(user: AuthUser, q: SummaryQuery) {
    const scope = await resolveScope(this.ds, user, q.orgUnitCode);
    const today = await this.today();
    const counts: Record<string, number> = {};
    for (const category of ['overdue', 'no_progress', 'followup_overdue', 'partner_unacknowledged'] as const) {
      const params: unknown[] = [`${scope.path}%`];
      const { where } = await this.categoryWhere(category, scope, q, today, params);
      const prog = q.programme ? ` AND t.programme = $${params.push(q.programme)}` : '';
      const [r] = await this.ds.query(
        `SELECT count(*)::int AS n FROM task t JOIN case_file c ON c.id = t.case_id WHERE t.status = 'open' AND ${OPEN_CASE_IN_SCOPE} AND ${where}${prog}`,
        params,
      );
      counts[category] = r.n;
    }
    const params: unknown[] = [`${scope.path}%`, today.n];
    const prog = q.programme ? ` AND t.programme = $${params.push(q.programme)}` : '';
    const bucketSql = AGING_BUCKETS.map(
      (b, i) => `count(*) FILTER (WHERE x.age >= ${b.min}${b.max === null ? '' : ` AND x.age <= ${b.max}`})::int AS b${i}`,
    ).join(', ');
    const aging: any[] = await this.ds.query(
      `SELECT x.programme, x.step, x.org_unit_code, o.name AS org_unit_name, count(*)::int AS open,
              count(*) FILTER (WHERE x.due_at < now())::int AS overdue, max(x.age)::int AS oldest, ${bucketSql}
       FROM (SELECT t.programme, t.step, t.org_unit_code, t.due_at, $2::int - coalesce(w.n, $2::int) AS age
             FROM task t JOIN case_file c ON c.id = t.case_id
             LEFT JOIN workday w ON w.date = (${CLOCK} AT TIME ZONE 'Asia/Shanghai')::date
             WHERE t.status = 'open' AND ${OPEN_CASE_IN_SCOPE}${prog}) x
       LEFT JOIN org_unit o ON o.code = x.org_unit_code
       GROUP BY x.programme, x.step, x.org_unit_code, o.name
       ORDER BY x.programme, x.step, x.org_unit_code`,
      params,
    );
    const oldestParams: unknown[] = [`${scope.path}%`];
    const oldestProg = q.programme ? ` AND t.programme = $${oldestParams.push(q.programme)}` : '';
    // Oldest by clock start: the ten oldest by opening and the ten oldest by receipt date (two index walks), merged.
    const cols = `t.id, t.case_id, t.programme, t.step, t.kind, t.assignee_role, t.org_unit_code, t.partner_id, t.assignee_user_id,
              t.due_at, t.due_date, t.created_at, t.clock_start_at, t.reminded_at, t.escalated_at, c.case_no, c.waiting_on AS case_waiting_on`;
    const oldest: any[] = await this.ds.query(
      `SELECT * FROM (
         (SELECT ${cols} FROM task t JOIN case_file c ON c.id = t.case_id
          WHERE t.status = 'open' AND ${OPEN_CASE_IN_SCOPE}${oldestProg} ORDER BY t.created_at, t.id LIMIT 10)
         UNION
         (SELECT ${cols} FROM task t JOIN case_file c ON c.id = t.case_id
          WHERE t.status = 'open' AND t.clock_start_at IS NOT NULL AND ${OPEN_CASE_IN_SCOPE}${oldestProg} ORDER BY t.clock_start_at, t.id LIMIT 10)
       ) x ORDER BY coalesce(x.clock_start_at, x.created_at), x.id LIMIT 10`,
      oldestParams,
    );
    const [openCases, slaTrend] = await Promise.all([this.openCases(scope, q, today.date), this.slaTrend(scope, q, today.date)]);
    return {
      orgUnit: { code: scope.code, name: scope.name },
      today: today.date,
      counts,
      openCases,
      slaTrend,
      buckets: AGING_BUCKETS.map((b) => b.key),
      aging: aging.map((a) => ({
        programme: a.programme,
        step: a.step,
        stepLabel: stepLabel(a.step),
        orgUnitCode: a.org_unit_code,
        orgUnitName: a.org_unit_name,
        open: a.open,
        overdue: a.overdue,
        oldestWorkingDays: a.oldest,
        buckets: Object.fromEntries(AGING_BUCKETS.map((b, i) => [b.key, a[`b${i}`]])),
      })),
      oldest: await this.enrich(oldest, today),
    };
  }

  /** Open cases in scope per programme (with how many have an overdue task), and cases closed in the last 30 days. */
  private async openCases(scope: ScopeUnit, q: SummaryQuery, today: string) {
    const params: unknown[] = [`${scope.path}%`];
    const prog = q.programme ? ` AND c.programme = $${params.push(q.programme)}` : '';
    const rows: { programme: string; open: number; overdue: number }[] = await this.ds.query(
      `SELECT c.programme, count(*)::int AS open,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM task t WHERE t.case_id = c.id AND t.status = 'open' AND t.due_at < now()))::int AS overdue
       FROM case_file c WHERE ${OPEN_CASE_IN_SCOPE}${prog} GROUP BY c.programme ORDER BY c.programme`,
      params,
    );
    const since = addIsoDays(today, -29);
    const closedParams: unknown[] = [`${scope.path}%`, since];
    const closedProg = q.programme ? ` AND c.programme = $${closedParams.push(q.programme)}` : '';
    const [closed] = await this.ds.query(
      `SELECT count(*)::int AS n FROM case_file c
       WHERE c.org_path LIKE $1 AND c.status <> 'open' AND (c.closed_at AT TIME ZONE 'Asia/Shanghai')::date >= $2::date${closedProg}`,
      closedParams,
    );
    return {
      total: rows.reduce((n, r) => n + r.open, 0),
      withOverdueTask: rows.reduce((n, r) => n + r.overdue, 0),
      closedLast30Days: closed.n as number,
      byProgramme: rows.map((r) => ({ programme: r.programme, open: r.open, withOverdueTask: r.overdue })),
    };
  }

  /**
   * SLA compliance per week (Monday–Sunday, Shanghai), the last `weeks` weeks up to this one: of the
   * tasks (of any case in scope, open or closed) due that week and not cancelled, how many were
   * completed by their due time (onTime), completed after it or are still open past it (late), or
   * are still open and not yet due (pending). rate = onTime / (onTime + late) in %, null if none.
   */
  private async slaTrend(scope: ScopeUnit, q: SummaryQuery, today: string) {
    const weeks = q.weeks ?? 12;
    const first = addIsoDays(mondayOf(today), -7 * (weeks - 1));
    const last = addIsoDays(mondayOf(today), 6);
    const params: unknown[] = [`${scope.path}%`, first, last];
    const prog = q.programme ? ` AND t.programme = $${params.push(q.programme)}` : '';
    const rows: { w: string; due: number; on_time: number; late: number }[] = await this.ds.query(
      `SELECT to_char(date_trunc('week', t.due_date::timestamp), 'YYYY-MM-DD') AS w, count(*)::int AS due,
              count(*) FILTER (WHERE t.status = 'completed' AND t.completed_at <= t.due_at)::int AS on_time,
              count(*) FILTER (WHERE (t.status = 'completed' AND t.completed_at > t.due_at) OR (t.status = 'open' AND t.due_at < now()))::int AS late
       FROM task t JOIN case_file c ON c.id = t.case_id
       WHERE c.org_path LIKE $1 AND t.status <> 'cancelled' AND t.due_date BETWEEN $2::date AND $3::date${prog}
       GROUP BY 1`,
      params,
    );
    const byWeek = new Map(rows.map((r) => [r.w, r]));
    return Array.from({ length: weeks }, (_, i) => {
      const weekStart = addIsoDays(first, 7 * i);
      const r = byWeek.get(weekStart);
      const due = r?.due ?? 0;
      const onTime = r?.on_time ?? 0;
      const late = r?.late ?? 0;
      return { weekStart, weekEnd: addIsoDays(weekStart, 6), due, onTime, late, pending: due - onTime - late, rate: onTime + late ? Math.round((onTime / (onTime + late)) * 100) : null };
    });
  }

  // ---- per-caseworker workload ---------------------------------------------------------------------

  async workload(user: AuthUser, q: ScopeQuery) {
    const scope = await resolveScope(this.ds, user, q.orgUnitCode);
    const today = await this.today();
    // This week ends on Sunday (Shanghai).
    const dow = new Date(`${today.date}T00:00:00Z`).getUTCDay();
    const weekEnd = new Date(Date.parse(`${today.date}T00:00:00Z`) + ((7 - dow) % 7) * 86_400_000).toISOString().slice(0, 10);
    const params: unknown[] = [`${scope.path}%`, weekEnd];
    const prog = q.programme ? ` AND t.programme = $${params.push(q.programme)}` : '';
    const people: any[] = await this.ds.query(
      `SELECT t.assignee_user_id AS user_id, s.display_name AS name, s.role, s.org_unit_code, s.active,
              count(*)::int AS open,
              count(*) FILTER (WHERE t.due_at >= now() AND t.due_date <= $2::date)::int AS due_this_week,
              count(*) FILTER (WHERE t.due_at < now())::int AS overdue,
              min(${CLOCK}) AS oldest_since
       FROM task t JOIN case_file c ON c.id = t.case_id LEFT JOIN staff_user s ON s.id = t.assignee_user_id
       WHERE t.status = 'open' AND t.assignee_user_id IS NOT NULL AND ${OPEN_CASE_IN_SCOPE}${prog}
       GROUP BY t.assignee_user_id, s.display_name, s.role, s.org_unit_code, s.active
       ORDER BY overdue DESC, open DESC, name LIMIT 1000`,
      params,
    );
    const pools: any[] = await this.ds.query(
      `SELECT t.assignee_role AS role, t.org_unit_code, o.name AS org_unit_name, t.partner_id, p.name AS partner_name,
              count(*)::int AS open,
              count(*) FILTER (WHERE t.due_at >= now() AND t.due_date <= $2::date)::int AS due_this_week,
              count(*) FILTER (WHERE t.due_at < now())::int AS overdue
       FROM task t JOIN case_file c ON c.id = t.case_id LEFT JOIN org_unit o ON o.code = t.org_unit_code
       LEFT JOIN partner p ON p.id = t.partner_id
       WHERE t.status = 'open' AND t.assignee_user_id IS NULL AND ${OPEN_CASE_IN_SCOPE}${prog}
       GROUP BY t.assignee_role, t.org_unit_code, o.name, t.partner_id, p.name
       ORDER BY overdue DESC, open DESC LIMIT 1000`,
      params,
    );
    return {
      orgUnit: { code: scope.code, name: scope.name },
      today: today.date,
      weekEnds: weekEnd,
      caseworkers: people.map((p) => ({
        userId: p.user_id, name: p.name, role: p.role, orgUnitCode: p.org_unit_code, active: p.active,
        open: p.open, dueThisWeek: p.due_this_week, overdue: p.overdue, oldestSince: p.oldest_since,
      })),
      unclaimed: pools.map((p) => ({
        role: p.role, orgUnitCode: p.org_unit_code, orgUnitName: p.org_unit_name, partnerId: p.partner_id, partnerName: p.partner_name,
        open: p.open, dueThisWeek: p.due_this_week, overdue: p.overdue,
      })),
    };
  }

  // ---- bottlenecks ------------------------------------------------------------------------------

  /**
   * Per programme and step: median and p90 working days a task spent there (clock start → completed;
   * the clock starts when the task opens, or at the case's receipt date for its first task) for tasks
   * completed in the period, overall and per org unit one level below the chosen one (as the cases
   * waiting there now are grouped), and how many cases wait there now per org unit (heatmap rows), in scope.
   */
  async bottlenecks(user: AuthUser, q: BottleneckQuery) {
    const scope = await resolveScope(this.ds, user, q.orgUnitCode);
    const today = await this.today();
    const from = q.from ?? `${today.date.slice(0, 4)}-01-01`;
    const to = q.to ?? today.date;
    if (!isIsoDate(from) || !isIsoDate(to) || from > to) throw new DomainError(400, 'VALIDATION_FAILED', '起止日期须为有效日期，且开始日期不晚于结束日期 / from/to must be real dates with from ≤ to');
    // The org unit one level below the chosen one (split_part index of the child code in "/a/b/c/"), or the case's own.
    const part = pathDepth(scope.path) + 2;
    const unitOf = `coalesce(nullif(split_part(c.org_path, '/', ${part}), ''), c.org_unit_code)`;
    const params: unknown[] = [`${scope.path}%`, `${from}T00:00:00+08:00`, `${to}T00:00:00+08:00`];
    const prog = q.programme ? ` AND t.programme = $${params.push(q.programme)}` : '';
    // One pass: GROUPING SETS gives the overall figures (unit NULL) and those per org unit.
    const spent: any[] = await this.ds.query(
      `SELECT x.programme, x.step, x.unit, o.name AS unit_name, grouping(x.unit) AS overall, count(*)::int AS completed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY x.days) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY x.days) AS p90,
              round(avg(x.days), 2)::float AS mean
       FROM (SELECT t.programme, t.step, ${unitOf} AS unit, w2.n - w1.n AS days
             FROM task t JOIN case_file c ON c.id = t.case_id
             JOIN workday w1 ON w1.date = (${CLOCK} AT TIME ZONE 'Asia/Shanghai')::date
             JOIN workday w2 ON w2.date = (t.completed_at AT TIME ZONE 'Asia/Shanghai')::date
             WHERE t.status = 'completed' AND t.completed_at >= $2::timestamptz AND t.completed_at < $3::timestamptz + interval '1 day'
               AND c.org_path LIKE $1${prog}) x
       LEFT JOIN org_unit o ON o.code = x.unit
       GROUP BY GROUPING SETS ((x.programme, x.step), (x.programme, x.step, x.unit, o.name))`,
      params,
    );
    // Cases waiting now, by step and by the org unit one level below the chosen one (or the case's own).
    const wparams: unknown[] = [`${scope.path}%`];
    const wprog = q.programme ? ` AND t.programme = $${wparams.push(q.programme)}` : '';
    const waiting: any[] = await this.ds.query(
      `SELECT x.programme, x.step, x.unit, o.name AS unit_name, count(DISTINCT x.case_id)::int AS cases
       FROM (SELECT t.programme, t.step, t.case_id, ${unitOf} AS unit
             FROM task t JOIN case_file c ON c.id = t.case_id
             WHERE t.status = 'open' AND ${OPEN_CASE_IN_SCOPE}${wprog}) x
       LEFT JOIN org_unit o ON o.code = x.unit
       GROUP BY x.programme, x.step, x.unit, o.name`,
      wparams,
    );
    const key = (p: string, s: string) => `${p}\u0000${s}`;
    const steps = new Map<string, any>();
    const ensure = (programme: string, step: string) => {
      const k = key(programme, step);
      if (!steps.has(k)) {
        steps.set(k, {
          programme, step, stepLabel: stepLabel(step), completed: 0, medianWorkingDays: null, p90WorkingDays: null, meanWorkingDays: null,
          waitingNow: 0, waitingByOrgUnit: [] as any[], durationByOrgUnit: [] as any[],
        });
      }
      return steps.get(k);
    };
    const units = new Map<string, string | null>();
    const durationCells: { programme: string; step: string; orgUnitCode: string; completed: number; medianWorkingDays: number; p90WorkingDays: number }[] = [];
    const byUnit = (a: { orgUnitCode: string }, b: { orgUnitCode: string }) => a.orgUnitCode.localeCompare(b.orgUnitCode);
    for (const r of spent) {
      const s = ensure(r.programme, r.step);
      const figures = { completed: r.completed, medianWorkingDays: Number(r.median), p90WorkingDays: Number(r.p90), meanWorkingDays: r.mean };
      if (Number(r.overall) === 1) {
        Object.assign(s, figures);
      } else {
        s.durationByOrgUnit.push({ orgUnitCode: r.unit, orgUnitName: r.unit_name, ...figures });
        durationCells.push({ programme: r.programme, step: r.step, orgUnitCode: r.unit, completed: r.completed, medianWorkingDays: figures.medianWorkingDays, p90WorkingDays: figures.p90WorkingDays });
        units.set(r.unit, r.unit_name);
      }
    }
    for (const r of waiting) {
      const s = ensure(r.programme, r.step);
      s.waitingNow += r.cases;
      s.waitingByOrgUnit.push({ orgUnitCode: r.unit, orgUnitName: r.unit_name, cases: r.cases });
      units.set(r.unit, r.unit_name);
    }
    for (const s of steps.values()) s.durationByOrgUnit.sort(byUnit);
    const list = [...steps.values()].sort((a, b) => (a.programme === b.programme ? (b.p90WorkingDays ?? -1) - (a.p90WorkingDays ?? -1) : a.programme.localeCompare(b.programme)));
    return {
      orgUnit: { code: scope.code, name: scope.name },
      period: { from, to },
      steps: list,
      heatmap: {
        orgUnits: [...units.entries()].map(([code, name]) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code)),
        cells: waiting.map((r) => ({ programme: r.programme, step: r.step, orgUnitCode: r.unit, cases: r.cases })),
        /** Median and p90 working days per programme × step × org unit (tasks completed in the period). */
        durationCells: durationCells.sort((a, b) => a.programme.localeCompare(b.programme) || a.step.localeCompare(b.step) || byUnit(a, b)),
      },
    };
  }

  // ---- why is this case stuck --------------------------------------------------------------------

  async why(user: AuthUser, caseId: string) {
    const params: unknown[] = [caseId];
    const rows: any[] = await this.ds.query(`SELECT c.* FROM case_file c WHERE c.id = $1 AND ${caseScopeSql(user, params)}`, params);
    const c = rows[0];
    if (!c) throw notFound('case');
    const today = await this.today();
    let live: CaseView | null = null;
    let liveError: string | null = null;
    try {
      live = await this.temporal.withDeadline(Date.now() + 5_000, () => this.temporal.workflow.getHandle(c.workflow_id).query(caseViewQuery));
    } catch (err) {
      liveError = err instanceof Error ? err.message : String(err);
    }
    const stored: any[] = await this.ds.query(
      `SELECT t.id, t.case_id, t.programme, t.step, t.kind, t.assignee_role, t.org_unit_code, t.partner_id, t.assignee_user_id,
              t.due_at, t.due_date, t.created_at, t.clock_start_at, t.reminded_at, t.escalated_at, $2::text AS case_no, $3::text AS case_waiting_on
       FROM task t WHERE t.case_id = $1 AND t.status = 'open' ORDER BY t.created_at, t.id`,
      [caseId, c.case_no, c.waiting_on],
    );
    // Which tasks are open and who holds them: the workflow (the truth; a claim shows at once).
    // Timing (opened, due, reminded, escalated): the read model row, so this line and the monitor's
    // line for the same task agree; a task not projected yet uses the workflow's own values.
    let open = stored;
    let readModelLag = false;
    if (live) {
      const byId = new Map(stored.map((r) => [r.id, r]));
      open = live.openTasks.map((t: TaskView) => {
        const r = byId.get(t.taskId);
        if (!r || r.assignee_user_id !== t.assigneeUserId || new Date(r.due_at).getTime() !== Date.parse(t.dueAt)) readModelLag = true;
        return {
          id: t.taskId, case_id: c.id, programme: c.programme, step: t.step, kind: t.kind, assignee_role: t.assigneeRole,
          org_unit_code: t.orgUnitCode, partner_id: t.partnerId, assignee_user_id: t.assigneeUserId,
          due_at: r?.due_at ?? t.dueAt, due_date: r?.due_date ?? t.dueDate, created_at: r?.created_at ?? t.createdAt,
          clock_start_at: r ? r.clock_start_at : (t.clockStartAt ?? null),
          reminded_at: r?.reminded_at ?? null, escalated_at: r?.escalated_at ?? null,
          case_no: c.case_no, case_waiting_on: live!.waitingOn,
        };
      });
      if (stored.length !== live.openTasks.length) readModelLag = true;
    }
    const waits = await this.enrich(open, today);
    const status = live?.status ?? c.status;
    const step = live?.step ?? c.step;
    const waitingOn = live?.waitingOn ?? c.waiting_on;
    let line: { zh: string; en: string };
    if (waits.length) {
      const first = [...waits].sort((a, b) => a.workingDaysLeft - b.workingDaysLeft || a.createdAt.localeCompare(b.createdAt))[0];
      line = { zh: first.why, en: first.whyEn };
      if (waits.length > 1) {
        line = { zh: `${line.zh}（另有 ${waits.length - 1} 项待办）`, en: `${line.en} (+${waits.length - 1} more open task${waits.length > 2 ? 's' : ''})` };
      }
    } else {
      let until: string | null = null;
      if (waitingOn === 'timer') {
        const ev: any[] = await this.ds.query(
          `SELECT data FROM case_event WHERE case_id = $1 AND type = 'waiting_for_campaign' ORDER BY seq DESC LIMIT 1`,
          [caseId],
        );
        until = ev[0]?.data?.screeningStart ?? null;
      }
      line = idleCaseLine({ status, step, outcome: live?.outcome ?? c.outcome, closedAt: c.closed_at ? new Date(c.closed_at).toISOString().slice(0, 10) : null, waitingOn, until });
    }
    return {
      caseId: c.id,
      caseNo: c.case_no,
      programme: c.programme,
      status,
      step,
      stepLabel: stepLabel(step),
      waitingOn,
      source: live ? 'workflow' : 'read_model',
      liveError,
      readModelLag,
      today: today.date,
      why: line.zh,
      whyEn: line.en,
      waits,
    };
  }
}
