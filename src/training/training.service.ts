import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource, EntityManager } from 'typeorm';
import { promoteWaitlist, signalPromoted } from '../../activities/training';
import { trainingRules } from '../../workflows/contracts';
import type { AuthUser } from '../auth/auth-user';
import { inUserScope } from '../auth/scope';
import { shanghaiToday } from '../calendar/iso-date';
import { conflict, DomainError, forbidden, notFound, unprocessable } from '../common/domain-error';
import { OrgUnitsService } from '../orgs/org-units.service';
import { ProgrammeSettingsService } from '../programmes/programme-settings.service';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module';
import { coursePayment, employerQuota, trainingReport } from './training-read';
import type { CreateCourseDto, CreatePositionDto, EmployerProfileDto, ListCoursesQuery, ListPositionsQuery, UpdateCourseDto, UpdatePositionDto } from './training.dto';

/** Roles that plan courses and positions and see payments and quotas (within their scope). */
export const TRAINING_EDITORS = ['county_officer', 'admin'] as const;
const OVERSIGHT = new Set(['county_officer', 'manager', 'admin']);
const NO_PARTNER = '00000000-0000-0000-0000-000000000000';

const COURSE_SELECT = `
  SELECT c.id, c.name, c.type, c.org_unit_code AS "orgUnitCode", o.name AS "orgUnitName", o.path AS "orgPath", c.year,
         c.institution_id AS "institutionId", p.name AS "institutionName",
         to_char(c.start_date,'YYYY-MM-DD') AS "startDate", to_char(c.end_date,'YYYY-MM-DD') AS "endDate",
         c.hours, c.places, c.location, c.fee_per_trainee AS "feePerTrainee", c.status, c.updated_at AS "updatedAt",
         (SELECT count(*)::int FROM course_enrolment e WHERE e.course_id = c.id AND e.status IN ('enrolled','completed','incomplete')) AS taken,
         (SELECT count(*)::int FROM course_enrolment e WHERE e.course_id = c.id AND e.status = 'waiting') AS waiting
  FROM course c JOIN org_unit o ON o.code = c.org_unit_code JOIN partner p ON p.id = c.institution_id`;

interface CourseRow {
  id: string;
  name: string;
  type: string;
  orgUnitCode: string;
  orgUnitName: string;
  orgPath: string;
  year: number;
  institutionId: string;
  institutionName: string;
  startDate: string;
  endDate: string;
  hours: number;
  places: number;
  location: string;
  feePerTrainee: string | null;
  status: string;
  updatedAt: Date;
  taken: number;
  waiting: number;
}

const POSITION_SELECT = `
  SELECT j.id, j.employer_id AS "employerId", p.name AS "employerName", o.path AS "orgPath", j.title, j.openings,
         j.monthly_pay AS "monthlyPay", j.contract_months AS "contractMonths", j.social_insurance AS "socialInsurance",
         j.location, j.status, j.updated_at AS "updatedAt",
         (SELECT count(*)::int FROM job_placement pl WHERE pl.position_id = j.id AND pl.status IN ('active','stable')) AS filled
  FROM job_position j JOIN partner p ON p.id = j.employer_id JOIN org_unit o ON o.code = p.org_unit_code`;

/**
 * Vocational training and placement (培训就业): the course catalogue per county and year, employers'
 * positions and headcount, and the computations over the read models: institution payment per
 * course, the employer quota view and the reports feed. Cases themselves go through /cases.
 */
@Injectable()
export class TrainingService {
  constructor(
    private readonly ds: DataSource,
    private readonly orgs: OrgUnitsService,
    private readonly settings: ProgrammeSettingsService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  // ---- courses ---------------------------------------------------------------------------------

  async listCourses(user: AuthUser, q: ListCoursesQuery) {
    const params: unknown[] = [];
    const where = [this.courseVisibility(user, params)];
    if (q.year) where.push(`c.year = $${params.push(q.year)}`);
    if (q.type) where.push(`c.type = $${params.push(q.type)}`);
    if (q.status) where.push(`c.status = $${params.push(q.status)}`);
    if (q.orgUnitCode) where.push(`o.path LIKE $${params.push(`%/${q.orgUnitCode}/%`)}`);
    const rows: CourseRow[] = await this.ds.query(`${COURSE_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.start_date DESC, c.name, c.id LIMIT 500`, params);
    return { items: rows.map((r) => this.courseView(user, r)) };
  }

  async getCourse(user: AuthUser, id: string) {
    const c = await this.visibleCourse(user, id);
    const params: unknown[] = [id];
    const scope = user.role === 'partner_staff' ? '' : ` AND e.org_path LIKE $${params.push(`${user.orgPath}%`)}`;
    const roster: any[] = await this.ds.query(
      `SELECT e.case_id, cf.case_no, pe.name AS person_name, e.status, e.hours_attended, e.passed, e.certificate_no, e.certificate_level, e.reason,
              CASE WHEN e.status = 'waiting' THEN (SELECT count(*)::int FROM course_enrolment w WHERE w.course_id = e.course_id AND w.status = 'waiting'
                     AND (w.requested_at, w.case_id) <= (e.requested_at, e.case_id)) END AS position
       FROM course_enrolment e JOIN case_file cf ON cf.id = e.case_id JOIN person pe ON pe.id = e.person_id
       WHERE e.course_id = $1${scope} ORDER BY (e.status = 'waiting'), e.requested_at, e.case_id`,
      params,
    );
    return {
      ...this.courseView(user, c),
      trainees: roster.map((r) => ({
        caseId: r.case_id, caseNo: r.case_no, personName: r.person_name, status: r.status, waitlistPosition: r.position ?? null,
        hoursAttended: Number(r.hours_attended), passed: r.passed, certificate: r.certificate_no ? { number: r.certificate_no, level: r.certificate_level } : null,
        reason: r.reason,
      })),
    };
  }

  async createCourse(user: AuthUser, dto: CreateCourseDto) {
    const unit = await this.orgs.requireForWrite(user, dto.orgUnitCode, ['county'], 'orgUnitCode');
    checkDates(dto.startDate, dto.endDate);
    const year = dto.year ?? Number(dto.startDate.slice(0, 4));
    if (year !== Number(dto.startDate.slice(0, 4)) && year !== Number(dto.endDate.slice(0, 4))) {
      throw unprocessable('COURSE_YEAR', `计划年度 ${year} 与开班日期不符 / plan year ${year} does not match the course dates`);
    }
    await this.requireInstitution(this.ds.manager, dto.institutionId, unit.path);
    const [row] = await this.ds.query(
      `INSERT INTO course (name, type, org_unit_code, year, institution_id, start_date, end_date, hours, places, location, fee_per_trainee, status, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id`,
      [dto.name, dto.type, unit.code, year, dto.institutionId, dto.startDate, dto.endDate, dto.hours, dto.places, dto.location, dto.feePerTrainee ?? null, dto.status ?? 'open', user.id],
    );
    return this.getCourse(user, row.id);
  }

  /**
   * Changes a course under a row lock. Dates, hours and institution are fixed once anyone holds or
   * waits for a place (their cases run on them); more places move waitlisted trainees in.
   */
  async updateCourse(user: AuthUser, id: string, dto: UpdateCourseDto) {
    const fields = Object.entries(dto).filter(([, v]) => v !== undefined);
    const today = shanghaiToday();
    const result = await this.ds.transaction(async (m) => {
      await m.query(`SELECT 1 FROM course WHERE id = $1 FOR UPDATE`, [id]);
      // Scope first: someone outside it gets 404/403 whatever the body says.
      const cur = await this.visibleCourse(user, id, m);
      if (!inUserScope(user, cur.orgPath)) throw forbidden(`「${cur.name}」属于${cur.orgUnitName}，您无权修改 / this course belongs to ${cur.orgUnitCode}, outside your area`);
      if (!fields.length) throw new DomainError(400, 'VALIDATION_FAILED', '没有要修改的字段 / nothing to change');
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM course_enrolment WHERE course_id = $1 AND status NOT IN ('expired','withdrawn')`, [id]);
      const fixed = (['startDate', 'endDate', 'hours', 'institutionId'] as const).filter((k) => dto[k] !== undefined && dto[k] !== cur[k]);
      if (n > 0 && fixed.length) {
        throw conflict('COURSE_IN_USE', `已有 ${n} 名学员报名，不能再修改 ${fixed.join('、')} / ${n} trainees are on this course: ${fixed.join(', ')} can no longer change`);
      }
      const next = { ...cur, ...Object.fromEntries(fields) } as CourseRow & { feePerTrainee: string | number | null };
      checkDates(next.startDate, next.endDate);
      if (dto.institutionId) await this.requireInstitution(m, dto.institutionId, cur.orgPath);
      if (next.places < cur.taken) throw conflict('PLACES_TAKEN', `已有 ${cur.taken} 人占用名额，名额不能少于此数 / ${cur.taken} places are taken`);
      if (next.status === 'cancelled' && cur.taken > 0) throw conflict('COURSE_IN_USE', `已有 ${cur.taken} 名学员在读，不能取消 / ${cur.taken} trainees hold places; the course cannot be cancelled`);
      await m.query(
        `UPDATE course SET name = $2, type = $3, institution_id = $4, start_date = $5, end_date = $6, hours = $7, places = $8, location = $9,
           fee_per_trainee = $10, status = $11, updated_at = now() WHERE id = $1`,
        [id, next.name, next.type, next.institutionId, next.startDate, next.endDate, next.hours, next.places, next.location, next.feePerTrainee, next.status],
      );
      let lateEntryDays = 0;
      let promoted: string[] = [];
      if (next.places > cur.places && cur.waiting > 0) {
        lateEntryDays = trainingRules(await this.settings.resolve('training', cur.orgPath, next.startDate)).lateEntryDays;
        promoted = await promoteWaitlist(m, { id, name: next.name, status: next.status, places: next.places, start: next.startDate, end: next.endDate }, today, lateEntryDays);
      }
      return { promoted, lateEntryDays };
    });
    if (result.promoted.length) await signalPromoted(this.ds, this.temporal, id, today, result.lateEntryDays);
    return this.getCourse(user, id);
  }

  async payment(user: AuthUser, id: string) {
    const c = await this.visibleCourse(user, id);
    const own = user.role === 'partner_staff' && user.partnerId === c.institutionId;
    if (!own && !(OVERSIGHT.has(user.role) && inUserScope(user, c.orgPath))) throw forbidden('只有县残联、负责人和该培训机构可查看结算 / only the county, managers and the institution see the payment');
    const settings = await this.settings.resolve('training', c.orgPath, c.startDate);
    return coursePayment(this.ds.manager, { id: c.id, name: c.name, institutionName: c.institutionName, feePerTrainee: c.feePerTrainee }, settings);
  }

  // ---- positions and employers -----------------------------------------------------------------

  async listPositions(user: AuthUser, q: ListPositionsQuery) {
    const params: unknown[] = [];
    const where = [this.partnerVisibility(user, params, 'p', 'o')];
    if (q.employerId) where.push(`j.employer_id = $${params.push(q.employerId)}`);
    if (q.status) where.push(`j.status = $${params.push(q.status)}`);
    const rows: any[] = await this.ds.query(`${POSITION_SELECT} WHERE ${where.join(' AND ')} ORDER BY p.name, j.title, j.id LIMIT 500`, params);
    return { items: rows.map((r) => publicPosition(positionView(r))) };
  }

  async createPosition(user: AuthUser, dto: CreatePositionDto) {
    const e = await this.employer(user, dto.employerId);
    if (!inUserScope(user, e.path)) throw forbidden(`${e.name} 不在您的管辖范围内 / this employer is outside your area`);
    const [row] = await this.ds.query(
      `INSERT INTO job_position (employer_id, title, openings, monthly_pay, contract_months, social_insurance, location, status, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [e.id, dto.title, dto.openings, dto.monthlyPay ?? null, dto.contractMonths ?? null, dto.socialInsurance ?? true, dto.location ?? null, dto.status ?? 'open', user.id],
    );
    return publicPosition(await this.position(user, row.id));
  }

  async updatePosition(user: AuthUser, id: string, dto: UpdatePositionDto) {
    const fields = Object.entries(dto).filter(([, v]) => v !== undefined);
    const cur = await this.position(user, id);
    if (!inUserScope(user, cur.orgPath)) throw forbidden('该岗位不在您的管辖范围内 / this position is outside your area');
    if (!fields.length) throw new DomainError(400, 'VALIDATION_FAILED', '没有要修改的字段 / nothing to change');
    const next = { ...cur, ...Object.fromEntries(fields) } as typeof cur;
    await this.ds.query(
      `UPDATE job_position SET title = $2, openings = $3, monthly_pay = $4, contract_months = $5, social_insurance = $6, location = $7, status = $8, updated_at = now() WHERE id = $1`,
      [id, next.title, next.openings, next.monthlyPay, next.contractMonths, next.socialInsurance, next.location, next.status],
    );
    return publicPosition(await this.position(user, id));
  }

  async setEmployerProfile(user: AuthUser, employerId: string, dto: EmployerProfileDto) {
    const e = await this.employer(user, employerId);
    if (!inUserScope(user, e.path)) throw forbidden(`${e.name} 不在您的管辖范围内 / this employer is outside your area`);
    await this.ds.query(
      `INSERT INTO employer_profile (partner_id, headcount, quota_rate, updated_by) VALUES ($1,$2,$3,$4)
       ON CONFLICT (partner_id) DO UPDATE SET headcount = EXCLUDED.headcount, quota_rate = EXCLUDED.quota_rate, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [e.id, dto.headcount, dto.quotaRate ?? null, user.id],
    );
    return { employerId: e.id, employerName: e.name, headcount: dto.headcount, quotaRate: dto.quotaRate ?? null };
  }

  async quota(user: AuthUser, employerId: string, year?: number) {
    const e = await this.employer(user, employerId);
    const own = user.role === 'partner_staff' && user.partnerId === e.id;
    if (!own && !(OVERSIGHT.has(user.role) && inUserScope(user, e.path))) {
      throw forbidden('只有县残联、负责人和该用人单位可查看按比例就业情况 / only the county, managers and the employer see the quota');
    }
    const today = shanghaiToday();
    const y = year ?? Number(today.slice(0, 4));
    const day = `${y}-12-31` < today ? `${y}-12-31` : today;
    const settings = await this.settings.resolve('training', e.path, day);
    return employerQuota(this.ds.manager, { id: e.id, name: e.name }, y, today, settings);
  }

  // ---- reports ---------------------------------------------------------------------------------

  async report(user: AuthUser, year?: number, orgUnitCode?: string) {
    const y = year ?? Number(shanghaiToday().slice(0, 4));
    const params: unknown[] = [];
    const where: string[] = [];
    if (user.role === 'partner_staff') {
      where.push(`c.institution_id = $${params.push(user.partnerId ?? NO_PARTNER)}`);
    } else {
      where.push(`e.org_path LIKE $${params.push(`${user.orgPath}%`)}`);
    }
    if (orgUnitCode) where.push(`e.org_path LIKE $${params.push(`%/${orgUnitCode}/%`)}`);
    return { orgUnitCode: orgUnitCode ?? null, ...(await trainingReport(this.ds.manager, y, where, params)) };
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Courses whose county is on the user's path or below (a caseworker sees their county's courses); institutions see their own. */
  private courseVisibility(user: AuthUser, params: unknown[]): string {
    if (user.role === 'partner_staff') return `c.institution_id = $${params.push(user.partnerId ?? NO_PARTNER)}`;
    return `(o.path LIKE $${params.push(`${user.orgPath}%`)} OR $${params.push(user.orgPath)} LIKE o.path || '%')`;
  }

  private partnerVisibility(user: AuthUser, params: unknown[], p: string, o: string): string {
    if (user.role === 'partner_staff') return `${p}.id = $${params.push(user.partnerId ?? NO_PARTNER)}`;
    return `(${o}.path LIKE $${params.push(`${user.orgPath}%`)} OR $${params.push(user.orgPath)} LIKE ${o}.path || '%')`;
  }

  private async visibleCourse(user: AuthUser, id: string, m: EntityManager = this.ds.manager): Promise<CourseRow> {
    const params: unknown[] = [id];
    const rows: CourseRow[] = await m.query(`${COURSE_SELECT} WHERE c.id = $1 AND ${this.courseVisibility(user, params)}`, params);
    if (!rows[0]) throw notFound('培训班 / course');
    return rows[0];
  }

  private courseView(user: AuthUser, r: CourseRow) {
    const { orgPath, ...rest } = r;
    return {
      ...rest,
      feePerTrainee: r.feePerTrainee === null ? null : Number(r.feePerTrainee),
      placesLeft: Math.max(0, r.places - r.taken),
      editable: (TRAINING_EDITORS as readonly string[]).includes(user.role) && inUserScope(user, orgPath),
      updatedAt: new Date(r.updatedAt).toISOString(),
    };
  }

  private async requireInstitution(m: EntityManager, id: string, countyPath: string) {
    const [p]: { kind: string; status: string; path: string; name: string }[] = await m.query(
      `SELECT p.kind, p.status, o.path, p.name FROM partner p JOIN org_unit o ON o.code = p.org_unit_code WHERE p.id = $1`,
      [id],
    );
    if (!p || p.kind !== 'training_institution') throw unprocessable('INSTITUTION_INVALID', 'institutionId 须为培训机构 / institutionId must be a training institution');
    if (!countyPath.startsWith(p.path)) throw unprocessable('INSTITUTION_INVALID', `${p.name} 不是本县（市）的培训机构 / ${p.name} is not an institution of this county or its city`);
    if (p.status !== 'active') throw unprocessable('INSTITUTION_INVALID', `${p.name} 已暂停合作 / ${p.name} is suspended`);
  }

  /** An employer the user may see (404 otherwise). */
  private async employer(user: AuthUser, id: string) {
    const params: unknown[] = [id];
    const rows: { id: string; name: string; kind: string; path: string }[] = await this.ds.query(
      `SELECT p.id, p.name, p.kind, o.path FROM partner p JOIN org_unit o ON o.code = p.org_unit_code WHERE p.id = $1 AND ${this.partnerVisibility(user, params, 'p', 'o')}`,
      params,
    );
    const e = rows[0];
    if (!e) throw notFound('用人单位 / employer');
    if (e.kind !== 'employer') throw unprocessable('NOT_AN_EMPLOYER', `${e.name} 不是用人单位 / ${e.name} is not an employer`);
    return e;
  }

  private async position(user: AuthUser, id: string) {
    const params: unknown[] = [id];
    const rows: any[] = await this.ds.query(`${POSITION_SELECT} WHERE j.id = $1 AND ${this.partnerVisibility(user, params, 'p', 'o')}`, params);
    if (!rows[0]) throw notFound('岗位 / position');
    return positionView(rows[0]) as ReturnType<typeof positionView> & { orgPath: string };
  }
}

function positionView(r: any) {
  return {
    ...r,
    monthlyPay: r.monthlyPay === null ? null : Number(r.monthlyPay),
    openLeft: Math.max(0, r.openings - r.filled),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

function publicPosition<T extends { orgPath?: string }>(p: T): Omit<T, 'orgPath'> {
  const { orgPath: _, ...rest } = p;
  return rest;
}

function checkDates(start: string, end: string): void {
  if (end < start) throw unprocessable('COURSE_DATES', `结束日期（${end}）早于开班日期（${start}） / the course ends (${end}) before it starts (${start})`);
}
