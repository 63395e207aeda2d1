import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { REHAB_SERVICE, type RehabCategory, switchInstitutionUpdate } from '../../workflows/contracts';
import type { AuthUser } from '../auth/auth-user';
import { CasesService } from '../cases/cases.service';
import { institutionFacts } from '../cases/programmes/child-rehab.adapter';
import { DomainError, forbidden, notFound, unprocessable } from '../common/domain-error';
import { shanghaiDate } from '../domain/calendar/working-days';
import { ProgrammeSettingsService } from '../programmes/programme-settings.service';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module';
import type { RehabReportQuery, SwitchInstitutionDto } from './rehab.dto';

const n = (v: unknown) => Number(v ?? 0);

/**
 * Child rehabilitation reads and commands that are not task decisions: an institution's waitlist
 * (ordered, names only for children in the caller's scope), the switch of institution (an Update on
 * the case workflow) and the yearly report feed.
 */
@Injectable()
export class RehabService {
  constructor(
    private readonly ds: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly cases: CasesService,
    private readonly settings: ProgrammeSettingsService,
  ) {}

  /**
   * A child's current service year as fields: the training months (the year's cap from the case's
   * settings version, months recorded per stay in rehab_agreement plus the current stay's months so
   * far), the current institution with its agreement dates and this year's stays, and per approved
   * item the approved amount (the year's budget the workflow projected), what the payment rows
   * settled, what is billed and under the county's check (pending: the workflow counts it against
   * the approved amount already, so a second bill cannot take it) and what remains for new bills.
   * Same scope as the case (404 outside it). Cases whose workflow predates the pending figure show 0.
   */
  async serviceYear(user: AuthUser, caseId: string) {
    const c = await this.cases.visibleCase(user, caseId); // 404 outside scope
    if (c.programme !== 'child_rehab') throw unprocessable('WRONG_PROGRAMME', '仅适用于残疾儿童康复救助个案 / only child rehabilitation cases have a service year');
    const data = (c.data ?? {}) as Record<string, any>;
    const settings = await this.settings.byVersion('child_rehab', c.rule_version);
    const maxMonths = typeof settings.rules.maxMonthsPerYear === 'number' ? settings.rules.maxMonthsPerYear : 10;
    const year: number = typeof data.year === 'number' ? data.year : Number(shanghaiDate(new Date(c.opened_at)).slice(0, 4));
    const stays: any[] = await this.ds.query(
      `SELECT a.partner_id, pa.name, a.status, a.out_of_area, a.months, a.effective, a.started_at, a.ended_at, a.end_reason
       FROM rehab_agreement a LEFT JOIN partner pa ON pa.id = a.partner_id
       WHERE a.case_id = $1 AND a.year = $2 ORDER BY a.started_at, a.id`,
      [caseId, year],
    );
    const [current] = await this.ds.query(
      `SELECT a.partner_id, pa.name, a.year, a.out_of_area, a.started_at FROM rehab_agreement a LEFT JOIN partner pa ON pa.id = a.partner_id
       WHERE a.case_id = $1 AND a.status = 'active' ORDER BY a.year DESC, a.started_at DESC LIMIT 1`,
      [caseId],
    );
    const paidRows: any[] = await this.ds.query(
      `SELECT item, sum(amount)::float AS settled, count(*)::int AS payments FROM payment
       WHERE case_id = $1 AND programme = 'child_rehab' AND year = $2 GROUP BY item`,
      [caseId, year],
    );
    const recorded = stays.reduce((a, s) => a + n(s.months), 0);
    // The workflow counts each month as it ends (case data); a stay's months reach rehab_agreement when it ends.
    const counted = data.year === year && typeof data.monthsThisYear === 'number' ? data.monthsThisYear : 0;
    const used = Math.max(recorded, counted);
    const period = data.year === year && data.period && typeof data.period === 'object' ? data.period : null;
    const budget: Record<string, number> | null = data.year === year && data.budget && typeof data.budget === 'object' ? data.budget : null;
    const pendingBy: Record<string, number> = data.year === year && data.pending && typeof data.pending === 'object' ? data.pending : {};
    const settledBy = new Map(paidRows.map((r) => [r.item as string, { settled: n(r.settled), payments: n(r.payments) }]));
    const keys = [...new Set([...Object.keys(budget ?? {}), ...settledBy.keys(), ...Object.keys(pendingBy)])];
    const money = (v: number) => Math.round(v * 100) / 100;
    const items = keys.map((item) => {
      const approved = n(budget?.[item]);
      const { settled, payments } = settledBy.get(item) ?? { settled: 0, payments: 0 };
      const pending = money(n(pendingBy[item]));
      return { item, approved, settled: money(settled), pending, remaining: money(Math.max(0, approved - settled - pending)), payments };
    });
    const sum = (k: 'approved' | 'settled' | 'pending' | 'remaining') => money(items.reduce((a, i) => a + i[k], 0));
    return {
      caseId: c.id,
      caseNo: c.case_no,
      caseStatus: c.status,
      year,
      ruleVersion: c.rule_version,
      budgetApproved: budget !== null,
      months: {
        maxPerYear: maxMonths,
        used,
        recorded,
        currentStay: used - recorded,
        left: Math.max(0, maxMonths - used),
        period: period ? { institution: period.institution ?? null, allowed: period.maxMonths ?? null, planned: period.planned ?? null, months: period.months ?? 0 } : null,
      },
      institution: current
        ? { id: current.partner_id, name: current.name, year: current.year, outOfArea: current.out_of_area, agreementStartedAt: current.started_at }
        : null,
      waitlist: data.waitlist ?? null,
      stays: stays.map((s) => ({
        institutionId: s.partner_id, name: s.name, status: s.status, outOfArea: s.out_of_area, months: n(s.months), effective: s.effective,
        startedAt: s.started_at, endedAt: s.ended_at, endReason: s.end_reason,
      })),
      items,
      totals: { approved: sum('approved'), settled: sum('settled'), pending: sum('pending'), remaining: sum('remaining') },
    };
  }

  async waitlist(user: AuthUser, partnerId: string) {
    const [p] = await this.ds.query(
      `SELECT p.id, p.name, p.kind, p.capacity, p.status, o.path FROM partner p JOIN org_unit o ON o.code = p.org_unit_code WHERE p.id = $1`,
      [partnerId],
    );
    if (!p || p.kind !== 'rehab_institution') throw notFound('康复机构 / institution');
    const rows: any[] = await this.ds.query(
      `SELECT w.case_id, w.category, w.priority, w.joined_at, w.org_path, c.case_no, c.org_unit_code, pe.name AS person_name
       FROM rehab_waitlist w JOIN case_file c ON c.id = w.case_id JOIN person pe ON pe.id = w.person_id
       WHERE w.partner_id = $1 AND w.status = 'waiting' AND c.status = 'open'
       ORDER BY w.priority DESC, w.joined_at, w.id`,
      [partnerId],
    );
    const own = (path: string) => user.role !== 'partner_staff' && path.startsWith(user.orgPath);
    // Staff over or under the institution's federation, the institution's own staff, or the caseworker of a child waiting.
    const visible =
      user.role === 'partner_staff'
        ? user.partnerId === p.id
        : p.path.startsWith(user.orgPath) || user.orgPath.startsWith(p.path) || rows.some((r) => own(r.org_path));
    if (!visible) throw notFound('康复机构 / institution');
    const [{ used }] = await this.ds.query(`SELECT count(*)::int AS used FROM rehab_agreement WHERE partner_id = $1 AND status = 'active'`, [partnerId]);
    return {
      institution: { id: p.id, name: p.name, status: p.status, capacity: p.capacity, used, available: p.capacity === null ? null : Math.max(0, p.capacity - used) },
      items: rows.map((r, i) => {
        const mine = own(r.org_path);
        return {
          position: i + 1,
          category: r.category,
          priority: r.priority,
          joinedAt: r.joined_at,
          // The institution sees case numbers; names and links only for children in the caller's area.
          caseNo: mine || user.role === 'partner_staff' ? r.case_no : null,
          caseId: mine ? r.case_id : null,
          personName: mine ? r.person_name : null,
          orgUnitCode: mine ? r.org_unit_code : null,
          inMyArea: mine,
        };
      }),
    };
  }

  async switchInstitution(user: AuthUser, caseId: string, dto: SwitchInstitutionDto) {
    const c = await this.cases.visibleCase(user, caseId); // 404 outside scope
    if (c.programme !== 'child_rehab') throw unprocessable('WRONG_PROGRAMME', '只有儿童康复救助个案可以这样变更康复机构 / only child rehabilitation cases change institutions this way');
    if (c.status !== 'open') throw new DomainError(409, 'CASE_CLOSED', '该个案已结案 / the case is closed');
    const inst = await institutionFacts(this.ds, dto.institutionId);
    const category = c.data?.category as RehabCategory | undefined;
    const service = category ? REHAB_SERVICE[category] : undefined;
    if (!inst || inst.kind !== 'rehab_institution') throw unprocessable('NOT_DESIGNATED', '所选机构不是定点康复机构 / not a designated rehabilitation institution');
    if (inst.status !== 'active' || !inst.inForce) throw unprocessable('NOT_DESIGNATED', `${inst.name} 已暂停或协议不在有效期内 / suspended or agreement not in force`);
    if (!service || !inst.services.includes(service)) throw unprocessable('NOT_DESIGNATED', `${inst.name} 不提供 ${service ?? '该'} 服务 / does not offer ${service ?? 'this service'}`);
    const actor = { id: user.id, name: user.name, role: user.role, orgPath: user.orgPath, partnerId: user.partnerId };
    try {
      return await this.temporal.withDeadline(Date.now() + 20_000, () =>
        this.temporal.workflow.getHandle(c.workflow_id).executeUpdate(switchInstitutionUpdate, {
          args: [{ actor, institution: { id: inst.id, name: inst.name, orgPath: inst.orgPath }, reason: dto.reason }],
        }),
      );
    } catch (err) {
      if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) throw new DomainError(503, 'CASE_BUSY', '个案正在处理上一步，请稍后重试 / the case is still processing the previous step; try again in a moment');
      throw err;
    }
  }

  /** The yearly figures managers report upward: children served, money settled, effective rate. */
  async report(user: AuthUser, q: RehabReportQuery) {
    if (user.role === 'partner_staff') throw forbidden('报表仅供残联工作人员查看 / reports are for federation staff');
    const year = q.year ?? Number(shanghaiDate(new Date()).slice(0, 4));
    let path = user.orgPath;
    let code = user.orgUnitCode;
    if (q.orgUnitCode) {
      const [o] = await this.ds.query(`SELECT code, path FROM org_unit WHERE code = $1`, [q.orgUnitCode]);
      if (!o || !o.path.startsWith(user.orgPath)) throw notFound('org unit');
      path = o.path;
      code = o.code;
    }
    const like = `${path}%`;
    const served = (group: string, join = '') =>
      this.ds.query(
        `SELECT ${group} AS key, count(DISTINCT a.person_id)::int AS children, sum(a.months)::int AS months,
                count(*) FILTER (WHERE a.effective)::int AS effective, count(a.effective)::int AS assessed
         FROM rehab_agreement a ${join} WHERE a.year = $1 AND a.org_path LIKE $2 GROUP BY 1 ORDER BY 1`,
        [year, like],
      );
    const shape = (rows: any[]) =>
      rows.map((r) => ({ key: r.key, children: n(r.children), months: n(r.months), effective: n(r.effective), assessed: n(r.assessed), effectiveRate: r.assessed > 0 ? Math.round((1000 * r.effective) / r.assessed) / 1000 : null }));
    const [totals] = await this.ds.query(
      `SELECT count(DISTINCT a.person_id)::int AS children, count(*) FILTER (WHERE a.effective)::int AS effective, count(a.effective)::int AS assessed,
              count(*) FILTER (WHERE a.out_of_area)::int AS out_of_area
       FROM rehab_agreement a WHERE a.year = $1 AND a.org_path LIKE $2`,
      [year, like],
    );
    const money: any[] = await this.ds.query(
      `SELECT p.payee_kind, p.item, sum(p.amount)::float AS amount, count(*)::int AS payments
       FROM payment p WHERE p.programme = 'child_rehab' AND p.year = $1 AND p.org_path LIKE $2 GROUP BY 1, 2 ORDER BY 1, 2`,
      [year, like],
    );
    const byInstitutionMoney: any[] = await this.ds.query(
      `SELECT pa.name AS key, sum(p.amount)::float AS amount FROM payment p LEFT JOIN partner pa ON pa.id = p.partner_id
       WHERE p.programme = 'child_rehab' AND p.year = $1 AND p.org_path LIKE $2 GROUP BY 1 ORDER BY 1`,
      [year, like],
    );
    const cases: any[] = await this.ds.query(
      `SELECT c.status, c.outcome, count(*)::int AS n FROM case_file c
       WHERE c.programme = 'child_rehab' AND c.org_path LIKE $2 AND extract(year FROM c.opened_at AT TIME ZONE 'Asia/Shanghai') = $1 GROUP BY 1, 2`,
      [year, like],
    );
    const [{ waiting }] = await this.ds.query(
      `SELECT count(*)::int AS waiting FROM rehab_waitlist w JOIN case_file c ON c.id = w.case_id WHERE w.status = 'waiting' AND c.status = 'open' AND w.org_path LIKE $1`,
      [like],
    );
    const settled = money.reduce((a, m) => a + n(m.amount), 0);
    return {
      year,
      orgUnitCode: code,
      children: n(totals.children),
      outOfArea: n(totals.out_of_area),
      effectiveRate: totals.assessed > 0 ? Math.round((1000 * totals.effective) / totals.assessed) / 1000 : null,
      assessed: n(totals.assessed),
      effective: n(totals.effective),
      settled: Math.round(settled * 100) / 100,
      waitingNow: n(waiting),
      byCategory: shape(await served('a.category')),
      byInstitution: shape(await served('pa.name', 'JOIN partner pa ON pa.id = a.partner_id')),
      byCounty: shape(await served(`split_part(a.org_path, '/', 3)`)),
      money: money.map((m) => ({ payee: m.payee_kind, item: m.item, amount: n(m.amount), payments: n(m.payments) })),
      moneyByInstitution: byInstitutionMoney.map((m) => ({ key: m.key, amount: n(m.amount) })),
      applications: cases.map((c) => ({ status: c.status, outcome: c.outcome, count: n(c.n) })),
    };
  }
}

