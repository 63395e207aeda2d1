/**
 * Computations over the training read models (course, course_enrolment, job_placement), without
 * auth: the service adds role and scope. Kept apart so workflow tests can check the same numbers
 * the api reports.
 */
import type { EntityManager } from 'typeorm';
import { institutionPayment, monthsInYear, ProgrammeSettings, quotaCredit, quotaSummary, trainingRules } from '../../workflows/contracts';

/** Enrolment states of trainees who took a place on the course (the cohort). */
export const COHORT = `('enrolled','completed','incomplete','dropped')`;

export const QUOTA_REASON_TEXT: Record<string, { message: string; messageEn: string }> = {
  not_quota_employer: { message: '非按比例就业单位安置', messageEn: 'not a quota employer placement' },
  contract_too_short: { message: '劳动合同不足一年', messageEn: 'contract shorter than the minimum (1 year)' },
  below_minimum_wage: { message: '工资低于当地最低工资标准', messageEn: 'pay below the local minimum wage' },
  no_social_insurance: { message: '未缴纳社会保险', messageEn: 'no social insurance' },
};

export interface CourseRef {
  id: string;
  name: string;
  institutionName: string;
  feePerTrainee: string | number | null;
}

/**
 * The institution payment of a course: full fee for the cohort if pass rate ≥ 80 % and employment
 * rate ≥ 70 % (the case's settings), else the fee per employed trainee. `settled` once every
 * trainee of the cohort has left training, been placed, or had the case closed.
 */
export async function coursePayment(db: EntityManager, course: CourseRef, settings: ProgrammeSettings) {
  const rules = trainingRules(settings);
  const rows: { status: string; passed: boolean | null; case_status: string; employed: boolean }[] = await db.query(
    `SELECT e.status, e.passed, cf.status AS case_status,
            EXISTS (SELECT 1 FROM job_placement pl WHERE pl.case_id = e.case_id) AS employed
     FROM course_enrolment e JOIN case_file cf ON cf.id = e.case_id
     WHERE e.course_id = $1 AND e.status IN ${COHORT}`,
    [course.id],
  );
  const cohort = rows.length;
  const passed = rows.filter((r) => r.passed === true).length;
  const employed = rows.filter((r) => r.employed).length;
  const droppedOut = rows.filter((r) => r.status === 'dropped').length;
  const pending = rows.filter((r) => !(r.status === 'dropped' || r.status === 'incomplete' || r.employed || r.case_status === 'closed')).length;
  const fee = course.feePerTrainee !== null && course.feePerTrainee !== undefined ? Number(course.feePerTrainee) : (settings.amounts.trainingFeePerTrainee ?? 0);
  const pay = institutionPayment({ cohort, passed, employed, feePerTrainee: fee, passRateMin: rules.paymentPassRate, employmentRateMin: rules.paymentEmploymentRate });
  return {
    courseId: course.id,
    courseName: course.name,
    institution: course.institutionName,
    cohort,
    passed,
    employed,
    droppedOut,
    passRate: pay.passRate,
    employmentRate: pay.employmentRate,
    thresholds: { passRate: rules.paymentPassRate, employmentRate: rules.paymentEmploymentRate },
    feePerTrainee: fee,
    basis: pay.basis,
    amount: pay.amount,
    reasons: pay.reasons,
    /** Every trainee's placement has settled: the amount is final. */
    settled: cohort > 0 && pending === 0,
    pending,
    settingsVersion: settings.version,
  };
}

/**
 * Disabled staff of an employer in a year, counted by the quota rules, against headcount × rate.
 *
 * Counting (a choice made with the domain, PROGRAMMES.md §3): a placement that meets the rules
 * (contract ≥ 1 year, ≥ minimum wage, social insurance) counts with its weight (grade 1–2 double)
 * for the months of the year it held, ÷ 12: the yearly figure is the monthly average of disabled
 * staff, as the annual review of the employment security fund (残疾人就业保障金) counts it. So a
 * grade 3 employee all year counts 1, one from October 0.25, a grade 2 from July 1. For the year in
 * progress `counted` runs to today (it grows month by month); `projectedByYearEnd` is what it will
 * be on 31 December if every placement still running holds until then.
 */
export async function employerQuota(
  db: EntityManager,
  employer: { id: string; name: string },
  year: number,
  today: string,
  settings: ProgrammeSettings,
) {
  const [profile]: { headcount: number; quota_rate: string | null }[] = await db.query(`SELECT headcount, quota_rate FROM employer_profile WHERE partner_id = $1`, [employer.id]);
  const rate = profile?.quota_rate !== null && profile?.quota_rate !== undefined ? Number(profile.quota_rate) : trainingRules(settings).quotaRate;
  const rows: any[] = await db.query(
    `SELECT pl.id, pl.case_id, pe.name AS person_name, to_char(pl.start_date,'YYYY-MM-DD') AS start_date, to_char(pl.end_date,'YYYY-MM-DD') AS end_date,
            pl.status, pl.detail, pl.contract_months, pl.monthly_pay, pl.social_insurance, pl.counts_toward_quota, pl.quota_weight, pl.quota_reasons
     FROM job_placement pl JOIN person pe ON pe.id = pl.person_id
     WHERE pl.employer_id = $1 AND pl.channel = 'quota_employer' AND pl.start_date <= $3::date
       AND (pl.end_date IS NULL OR pl.end_date >= $2::date)
     ORDER BY pl.start_date, pl.id`,
    [employer.id, `${year}-01-01`, `${year}-12-31`],
  );
  const asOf = today < `${year}-12-31` ? today : `${year}-12-31`;
  const staff = rows
    .filter((r) => r.start_date <= asOf)
    .map((r) => ({
      placementId: r.id,
      caseId: r.case_id,
      personName: r.person_name,
      position: r.detail,
      startDate: r.start_date,
      endDate: r.end_date,
      status: r.status,
      contractMonths: r.contract_months,
      monthlyPay: r.monthly_pay === null ? null : Number(r.monthly_pay),
      socialInsurance: r.social_insurance,
      countsTowardQuota: r.counts_toward_quota,
      weight: r.quota_weight,
      reasons: (r.quota_reasons as string[]).map((code) => ({ code, ...(QUOTA_REASON_TEXT[code] ?? { message: code, messageEn: code }) })),
      monthsInYear: monthsInYear(r.start_date, r.end_date, year, asOf),
      monthsByYearEnd: monthsInYear(r.start_date, r.end_date, year, `${year}-12-31`),
    }))
    .map((s) => ({ ...s, credit: s.countsTowardQuota ? quotaCredit(s.weight, s.monthsInYear) : 0 }));
  // Sum the unrounded weight × months, then divide once (no rounding drift over many staff).
  const total = (months: (s: (typeof staff)[number]) => number) =>
    Math.round((staff.filter((s) => s.countsTowardQuota).reduce((n, s) => n + s.weight * months(s), 0) / 12) * 100) / 100;
  const counted = total((s) => s.monthsInYear);
  const projected = total((s) => s.monthsByYearEnd);
  const headcount = profile ? profile.headcount : null;
  return {
    employerId: employer.id,
    employerName: employer.name,
    year,
    headcount,
    quotaRate: rate,
    /** Monthly average of counting disabled staff to date: Σ weight × months held ÷ 12. */
    counted,
    ...quotaSummary(headcount, rate, counted),
    projectedByYearEnd: { counted: projected, ...quotaSummary(headcount, rate, projected) },
    notCounted: staff.filter((s) => !s.countsTowardQuota).length,
    staff,
    settingsVersion: settings.version,
  };
}

interface Metrics {
  enrolled: number;
  trained: number;
  droppedOut: number;
  passed: number;
  certified: number;
  employed: { total: number; quota_employer: number; public_welfare: number; self_employment: number };
  retained12m: number;
}
const empty = (): Metrics => ({ enrolled: 0, trained: 0, droppedOut: 0, passed: 0, certified: 0, employed: { total: 0, quota_employer: 0, public_welfare: 0, self_employment: 0 }, retained12m: 0 });

/**
 * The reports feed for a plan year (courses of that year): trained, certified, employed by channel
 * (each trainee once, by their latest placement), retained at 12 months; per county, course and
 * institution. `where`/`params` restrict the enrolments (scope), alias e = course_enrolment, c = course.
 */
export async function trainingReport(db: EntityManager, year: number, where: string[], params: unknown[]) {
  const p = [...params, year];
  const rows: any[] = await db.query(
    `SELECT c.org_unit_code AS county_code, o.name AS county_name, c.id AS course_id, c.name AS course_name, c.type AS course_type,
            c.institution_id, pa.name AS institution_name, e.status, e.passed, (e.certificate_no IS NOT NULL) AS certified,
            (SELECT pl.channel FROM job_placement pl WHERE pl.case_id = e.case_id ORDER BY pl.start_date DESC, pl.id DESC LIMIT 1) AS channel,
            EXISTS (SELECT 1 FROM job_placement pl WHERE pl.case_id = e.case_id AND pl.status = 'stable') AS retained
     FROM course_enrolment e JOIN course c ON c.id = e.course_id JOIN org_unit o ON o.code = c.org_unit_code JOIN partner pa ON pa.id = c.institution_id
     WHERE c.year = $${p.length} AND e.status IN ${COHORT}${where.length ? ` AND ${where.join(' AND ')}` : ''}`,
    p,
  );
  const totals = empty();
  const groups = { county: new Map<string, Metrics & Record<string, unknown>>(), course: new Map<string, Metrics & Record<string, unknown>>(), institution: new Map<string, Metrics & Record<string, unknown>>() };
  const bucket = (m: Map<string, Metrics & Record<string, unknown>>, key: string, label: Record<string, unknown>) => {
    let b = m.get(key);
    if (!b) m.set(key, (b = { ...label, ...empty() }));
    return b;
  };
  for (const r of rows) {
    const targets = [
      totals,
      bucket(groups.county, r.county_code, { orgUnitCode: r.county_code, orgUnitName: r.county_name }),
      bucket(groups.course, r.course_id, { courseId: r.course_id, courseName: r.course_name, courseType: r.course_type, orgUnitCode: r.county_code }),
      bucket(groups.institution, r.institution_id, { institutionId: r.institution_id, institutionName: r.institution_name }),
    ];
    for (const t of targets) {
      t.enrolled++;
      if (r.status === 'completed') t.trained++;
      if (r.status === 'dropped') t.droppedOut++;
      if (r.passed === true) t.passed++;
      if (r.certified) t.certified++;
      if (r.channel) {
        t.employed.total++;
        t.employed[r.channel as keyof Metrics['employed']]++;
      }
      if (r.retained) t.retained12m++;
    }
  }
  const list = (m: Map<string, unknown>) => [...m.values()];
  return { year, totals, byCounty: list(groups.county), byCourse: list(groups.course), byInstitution: list(groups.institution) };
}
