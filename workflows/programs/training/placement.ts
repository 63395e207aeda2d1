/**
 * Pure rules of placement, quota and institution payment (PROGRAMMES.md §3), shared by the
 * workflow (which records the quota decision with the case's settings version) and the api
 * (quota view, course payment). No I/O.
 */
import type { PlacementChannel } from './steps';

export interface QuotaReason {
  code: 'not_quota_employer' | 'contract_too_short' | 'below_minimum_wage' | 'no_social_insurance';
  message: string;
  messageEn: string;
}

export interface QuotaDecision {
  counts: boolean;
  /** 0 when not counted; 2 for grade 1–2 (counts double), else 1. */
  weight: number;
  reasons: QuotaReason[];
}

/**
 * Whether a placement counts toward the employer's disability employment quota: a quota employer,
 * a contract of at least `minContractMonths` (1 year), pay at least the local minimum wage and
 * social insurance paid. A grade 1–2 employee counts double.
 */
export function quotaCounting(
  p: { channel: PlacementChannel; contractMonths?: number | null; monthlyPay?: number | null; socialInsurance?: boolean | null; disabilityGrade?: number | null },
  r: { minimumWage: number; minContractMonths: number },
): QuotaDecision {
  const reasons: QuotaReason[] = [];
  if (p.channel !== 'quota_employer') {
    reasons.push({ code: 'not_quota_employer', message: '非按比例就业单位安置，不计入用人单位按比例安排就业人数', messageEn: 'not a quota employer placement' });
  } else {
    if (!(typeof p.contractMonths === 'number' && p.contractMonths >= r.minContractMonths)) {
      reasons.push({ code: 'contract_too_short', message: `劳动合同 ${p.contractMonths ?? 0} 个月，不足 ${r.minContractMonths} 个月`, messageEn: `contract of ${p.contractMonths ?? 0} months is under ${r.minContractMonths} months` });
    }
    if (!(typeof p.monthlyPay === 'number' && p.monthlyPay >= r.minimumWage)) {
      reasons.push({ code: 'below_minimum_wage', message: `月工资 ${p.monthlyPay ?? 0} 元，低于当地最低工资 ${r.minimumWage} 元`, messageEn: `monthly pay ${p.monthlyPay ?? 0} is below the local minimum wage ${r.minimumWage}` });
    }
    if (p.socialInsurance !== true) {
      reasons.push({ code: 'no_social_insurance', message: '未依法缴纳社会保险', messageEn: 'social insurance not paid' });
    }
  }
  const counts = reasons.length === 0;
  const weight = !counts ? 0 : p.disabilityGrade === 1 || p.disabilityGrade === 2 ? 2 : 1;
  return { counts, weight, reasons };
}

/** Months of `year` (1–12) in which a placement from `start` to `end` (null = ongoing, up to `asOf`) held at least one day. */
export function monthsInYear(start: string, end: string | null, year: number, asOf: string): number {
  const last = [end ?? asOf, asOf, `${year}-12-31`].sort()[0];
  const first = start > `${year}-01-01` ? start : `${year}-01-01`;
  if (first > last) return 0;
  return (Number(last.slice(5, 7)) - Number(first.slice(5, 7))) + 1 + (Number(last.slice(0, 4)) - Number(first.slice(0, 4))) * 12;
}

/**
 * What one placement adds to an employer's quota count for a year: its weight (2 for grade 1–2,
 * 1 otherwise, 0 when it does not count) × the months of the year it held ÷ 12, to 2 decimals.
 * The yearly count of disabled staff is a monthly average (the sum over the twelve months of the
 * disabled staff on the payroll that month ÷ 12), as for the 残疾人就业保障金 annual review, so
 * someone employed from October adds a quarter, not a whole person. A month counts when the
 * placement held at least one day of it (monthsInYear).
 */
export function quotaCredit(weight: number, months: number): number {
  const m = Math.max(0, Math.min(12, months));
  return Math.round(((weight * m) / 12) * 100) / 100;
}

/** Required number of disabled employees (headcount × rate, 2 decimals) and the shortfall. */
export function quotaSummary(headcount: number | null, rate: number, counted: number) {
  if (headcount === null) return { required: null, shortfall: null, met: null };
  const required = Math.round(headcount * rate * 100) / 100;
  const shortfall = Math.max(0, Math.round((required - counted) * 100) / 100);
  return { required, shortfall, met: counted >= required };
}

export interface PaymentInput {
  /** Trainees who took a place on the course (drop-outs included). */
  cohort: number;
  passed: number;
  /** Trainees of the cohort placed in a job (any channel). */
  employed: number;
  feePerTrainee: number;
  passRateMin: number;
  employmentRateMin: number;
}

/**
 * Institution payment: the full fee for the cohort (fee × cohort) only if the pass rate and the
 * employment rate both reach their thresholds (80 % / 70 %); otherwise the fee per employed trainee.
 */
export function institutionPayment(p: PaymentInput) {
  const rate = (n: number) => (p.cohort === 0 ? 0 : Math.round((n / p.cohort) * 10000) / 10000);
  const passRate = rate(p.passed);
  const employmentRate = rate(p.employed);
  const reasons: { code: string; message: string; messageEn: string }[] = [];
  if (passRate < p.passRateMin) {
    reasons.push({ code: 'pass_rate', message: `合格率 ${(passRate * 100).toFixed(1)}%，低于 ${(p.passRateMin * 100).toFixed(0)}%`, messageEn: `pass rate ${(passRate * 100).toFixed(1)}% is below ${(p.passRateMin * 100).toFixed(0)}%` });
  }
  if (employmentRate < p.employmentRateMin) {
    reasons.push({ code: 'employment_rate', message: `就业率 ${(employmentRate * 100).toFixed(1)}%，低于 ${(p.employmentRateMin * 100).toFixed(0)}%`, messageEn: `employment rate ${(employmentRate * 100).toFixed(1)}% is below ${(p.employmentRateMin * 100).toFixed(0)}%` });
  }
  const full = p.cohort > 0 && reasons.length === 0;
  const amount = Math.round((full ? p.feePerTrainee * p.cohort : p.feePerTrainee * p.employed) * 100) / 100;
  return { passRate, employmentRate, basis: full ? ('full' as const) : ('per_employed_trainee' as const), amount, reasons };
}
