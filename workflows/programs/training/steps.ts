/**
 * Vocational training → certificate → job placement → retention (培训就业): the step table and its
 * default settings (shared/domain/PROGRAMMES.md §3). Time limits marked (assumed) had no published
 * source; a jurisdiction overrides any of them in programme_config, versioned by effective date,
 * and a case keeps the version it started with.
 *
 * | step                 | who                                   | kind      | default limit |
 * |----------------------|---------------------------------------|-----------|---------------|
 * | county_approval      | county officer (return → recruiter)   | approval  | 10 working days (assumed) |
 * | waitlist             | (full course: waits for a freed place, signalled by the drop-out's activity) | — | until course start + 7 days (assumed) |
 * | awaiting_course      | (timer until the course starts)        | —         | course dates |
 * | attendance (×period) | training institution: hours per period (default 14 days; open from the period's first day, hours from its last day) or drop-out with reason at any time | record | 3 working days after the period's last day (assumed) |
 * | attendance_extension | training institution: make-up hours, at most 10 % of course hours, when below the attendance minimum | record | 10 working days (assumed) |
 * | assessment           | training institution / skills appraisal: pass/fail, optional certificate (number, level) | record | 10 working days (assumed) |
 * | job_match            | county officer (employment service): an offer (quota employer position, public-welfare post), self-employment support, or "no placement" | record | 20 working days (assumed) |
 * | offer_response       | village caseworker records the trainee's acceptance or refusal (reason) | record | 5 working days (assumed) |
 * | contract             | employer: contract signed (start, months, monthly pay, social insurance) or not | record | 10 working days (assumed) |
 * | retention_3m/6m/12m  | village caseworker: still employed? (a lost job reopens job_match) | followup | 3, 6, 12 months after the placement starts (assumed) |
 *
 * Outcomes: stable_employment (12 months continuous), employed (follow-ups configured shorter than
 * 12 months), not_employed, rejected, dropped_out, incomplete, waitlist_expired, course_unavailable.
 */
import type { ProgrammeSettings } from '../../lib/settings';

export const TRAINING_DEFAULTS: ProgrammeSettings = {
  programme: 'training',
  version: 'training@default@2026-01-01',
  steps: {
    county_approval: { workingDays: 10, remindBefore: [1] },
    attendance: { workingDays: 3, remindBefore: [1] },
    attendance_extension: { workingDays: 10, remindBefore: [2] },
    assessment: { workingDays: 10, remindBefore: [2] },
    job_match: { workingDays: 20, remindBefore: [3] },
    offer_response: { workingDays: 5, remindBefore: [1] },
    contract: { workingDays: 10, remindBefore: [2] },
  },
  // A visit counts as "still employed" only from windowFromDays on; a lost job may be reported any time.
  followUps: [
    { step: 'retention_3m', dueAfterDays: 90, windowFromDays: 76, mode: 'visit' },
    { step: 'retention_6m', dueAfterDays: 180, windowFromDays: 166, mode: 'visit' },
    { step: 'retention_12m', dueAfterDays: 365, windowFromDays: 351, mode: 'visit' },
  ],
  amounts: {
    /** Local monthly minimum wage (yuan): a quota placement must pay at least this (assumed; set per jurisdiction). */
    minimumWage: 1900,
    /** Agreed training fee per trainee when a course has none of its own (assumed). */
    trainingFeePerTrainee: 2000,
    /** Ceiling of one-off self-employment support (assumed). */
    selfEmploymentSupportMax: 10000,
  },
  rules: {
    minAge: 16,
    maxAgeWomen: 54,
    maxAgeMen: 59,
    minEducation: 'primary',
    requireSelfCare: true,
    excludeSevereIntellectualPsychiatric: true,
    attendancePeriodDays: 14,
    minAttendanceRate: 0.9,
    maxHoursExtensionRate: 0.1,
    lateEntryDays: 7,
    quotaRate: 0.015,
    quotaMinContractMonths: 12,
    stableAfterDays: 365,
    paymentPassRate: 0.8,
    paymentEmploymentRate: 0.7,
  },
};

/** The rules of a settings version, typed, with the defaults for anything a jurisdiction left out. */
export interface TrainingRules {
  minAge: number;
  maxAgeWomen: number;
  maxAgeMen: number;
  minEducation: Education;
  requireSelfCare: boolean;
  excludeSevereIntellectualPsychiatric: boolean;
  attendancePeriodDays: number;
  minAttendanceRate: number;
  maxHoursExtensionRate: number;
  lateEntryDays: number;
  quotaRate: number;
  quotaMinContractMonths: number;
  stableAfterDays: number;
  paymentPassRate: number;
  paymentEmploymentRate: number;
}

export function trainingRules(s: Pick<ProgrammeSettings, 'rules'>): TrainingRules {
  const d = TRAINING_DEFAULTS.rules as unknown as TrainingRules;
  const r = (s.rules ?? {}) as Partial<Record<keyof TrainingRules, unknown>>;
  const num = (k: keyof TrainingRules) => (typeof r[k] === 'number' && Number.isFinite(r[k]) ? (r[k] as number) : (d[k] as number));
  const bool = (k: keyof TrainingRules) => (typeof r[k] === 'boolean' ? (r[k] as boolean) : (d[k] as boolean));
  return {
    minAge: num('minAge'),
    maxAgeWomen: num('maxAgeWomen'),
    maxAgeMen: num('maxAgeMen'),
    minEducation: EDUCATION.includes(r.minEducation as Education) ? (r.minEducation as Education) : d.minEducation,
    requireSelfCare: bool('requireSelfCare'),
    excludeSevereIntellectualPsychiatric: bool('excludeSevereIntellectualPsychiatric'),
    attendancePeriodDays: Math.max(1, Math.round(num('attendancePeriodDays'))),
    minAttendanceRate: num('minAttendanceRate'),
    maxHoursExtensionRate: num('maxHoursExtensionRate'),
    lateEntryDays: Math.max(0, Math.round(num('lateEntryDays'))),
    quotaRate: num('quotaRate'),
    quotaMinContractMonths: num('quotaMinContractMonths'),
    stableAfterDays: num('stableAfterDays'),
    paymentPassRate: num('paymentPassRate'),
    paymentEmploymentRate: num('paymentEmploymentRate'),
  };
}

/** Education levels, lowest first (details.education at enrolment). */
export const EDUCATION = ['none', 'primary', 'junior_secondary', 'senior_secondary', 'vocational', 'college', 'bachelor', 'postgraduate'] as const;
export type Education = (typeof EDUCATION)[number];

export const COURSE_TYPES = ['employment_skills', 'rural_practical', 'entrepreneurship', 'ecommerce', 'blind_massage', 'other'] as const;
export type CourseType = (typeof COURSE_TYPES)[number];

/** Skills certificate levels (专项能力, 五级/初级 … 一级/高级技师). */
export const CERTIFICATE_LEVELS = ['special', 'level5', 'level4', 'level3', 'level2', 'level1'] as const;

export const PLACEMENT_CHANNELS = ['quota_employer', 'public_welfare', 'self_employment'] as const;
export type PlacementChannel = (typeof PLACEMENT_CHANNELS)[number];

// ---- dates (pure arithmetic; China has no DST, so +08:00 is exact) ------------------------------

const DAY = 86_400_000;
export const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}
/** 00:00 of a day in Asia/Shanghai, as epoch ms. */
export function shanghaiMidnight(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`);
}
export function shanghaiDayOf(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The attendance periods of a course: consecutive blocks of `periodDays` from the first day, the
 * last one ending on the course's last day. The institution records each block on its last day.
 */
export function attendancePeriods(startDate: string, endDate: string, periodDays: number): { n: number; from: string; to: string }[] {
  const out: { n: number; from: string; to: string }[] = [];
  let from = startDate;
  for (let n = 1; from <= endDate; n++) {
    const to = addDays(from, periodDays - 1) < endDate ? addDays(from, periodDays - 1) : endDate;
    out.push({ n, from, to });
    from = addDays(to, 1);
  }
  return out;
}

/** Attended hours needed to complete, and the most a trainee may be recorded for (hours + 10 %). */
export function hoursLimits(courseHours: number, rules: Pick<TrainingRules, 'minAttendanceRate' | 'maxHoursExtensionRate'>) {
  const round1 = (x: number) => Math.round(x * 10) / 10;
  return {
    required: round1(courseHours * rules.minAttendanceRate),
    maxExtension: round1(courseHours * rules.maxHoursExtensionRate),
    max: round1(courseHours * (1 + rules.maxHoursExtensionRate)),
  };
}
