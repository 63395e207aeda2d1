/**
 * Child rescue rehabilitation (残疾儿童康复救助, 国发〔2018〕20号): the step table and its default
 * settings. Time limits marked (assumed) had no published source (shared/domain/PROGRAMMES.md §1);
 * amounts are the 江西 minimum standards. A jurisdiction overrides any of them in
 * programme_config, versioned by effective date; a case keeps its version across its years.
 *
 * | step                  | who                               | kind     | default limit              |
 * |-----------------------|-----------------------------------|----------|----------------------------|
 * | county_review         | county officer (application, a new institution, each renewal) | approval (+ return) | 10 working days (assumed) |
 * | county_review_supplement | whoever acted before (registrar) | record  | same limit                 |
 * | waitlisted            | (Signal placeFreed / re-check timer) | —     | until a place frees        |
 * | institution_choice    | village caseworker (institution refused) | record | 5 working days (assumed) |
 * | intake_assessment     | the institution (partner staff)   | record   | 10 working days (assumed)  |
 * | training / progress   | the institution, after each month | record   | 5 working days (assumed)   |
 * | end_assessment        | the institution                   | record   | 10 working days (assumed)  |
 * | bill                  | the institution (per period or monthly) | record | 10 working days (assumed) |
 * | reimbursement_claim   | village caseworker for the family (out-of-area) | record | 20 working days (assumed) |
 * | settlement_check      | county officer (not the one who approved the child: four-eyes) | approval (+ return) | 10 working days (assumed) |
 * | renewal               | village caseworker, before the year ends | record | 10 working days (assumed) |
 *
 * Rules: under 7 on 1 January of the service year (maxAge), at most 10 training months a year,
 * diagnosis valid 1 year (vision) / 3 years (others), residence permits accepted, billing per period.
 */
import type { ProgrammeSettings } from '../../lib/settings';
import type { RehabCategory, RehabItem } from '../../contracts/child-rehab';

export const CHILD_REHAB_DEFAULTS: ProgrammeSettings = {
  programme: 'child_rehab',
  version: 'child_rehab@default@2026-01-01',
  steps: {
    county_review: { workingDays: 10, remindBefore: [1] },
    institution_choice: { workingDays: 5, remindBefore: [1] },
    intake_assessment: { workingDays: 10, remindBefore: [1] },
    progress: { workingDays: 5, remindBefore: [1] },
    end_assessment: { workingDays: 10, remindBefore: [1] },
    bill: { workingDays: 10, remindBefore: [1] },
    reimbursement_claim: { workingDays: 20, remindBefore: [2] },
    settlement_check: { workingDays: 10, remindBefore: [1] },
    renewal: { workingDays: 10, remindBefore: [2] },
  },
  followUps: [],
  // Yuan per child and year (training) or per item.
  amounts: { training: 15000, hearingAid: 6000, cochlearImplant: 60000, cochlearSurgery: 12000, limbSurgery: 10000, lowVisionAid: 100 },
  rules: {
    maxAge: 7,
    maxMonthsPerYear: 10,
    diagnosisValidYears: { vision: 1, other: 3 },
    categories: ['vision', 'hearing', 'speech', 'limb', 'intellectual', 'autism'],
    acceptResidencePermit: true,
    priorityGroupsOnly: false,
    /** 'period': one bill per stay at an institution; 'monthly': a bill after each progress record. */
    billing: 'period',
    /** The renewal task opens this many days before the service year ends. */
    renewalLeadDays: 30,
    /** A waitlisted case re-checks its institution this often (a place may free without a signal, e.g. more capacity). */
    waitlistRecheckDays: 7,
    // compressedCalendar: { monthSeconds, yearSeconds } shortens months and the service year (test and training stacks only).
  },
};

const AMOUNT_KEY: Record<RehabItem, string> = {
  training: 'training',
  hearing_aid: 'hearingAid',
  cochlear_implant: 'cochlearImplant',
  cochlear_surgery: 'cochlearSurgery',
  limb_surgery: 'limbSurgery',
  low_vision_aid: 'lowVisionAid',
};
export const rehabAmountKey = (item: RehabItem) => AMOUNT_KEY[item];

/**
 * The amounts approved for one service year: training for every category, plus the items applied
 * for (a cochlear implant brings its surgery). Bills are checked against what is left of these.
 */
export function approvedBudget(amounts: Record<string, number>, category: RehabCategory, needs: RehabItem[]): Partial<Record<RehabItem, number>> {
  const b: Partial<Record<RehabItem, number>> = { training: amounts.training ?? 0 };
  const want = new Set(needs);
  if (category === 'hearing' && want.has('hearing_aid')) b.hearing_aid = amounts.hearingAid ?? 0;
  if (category === 'hearing' && want.has('cochlear_implant')) {
    b.cochlear_implant = amounts.cochlearImplant ?? 0;
    b.cochlear_surgery = amounts.cochlearSurgery ?? 0;
  }
  if (category === 'limb' && want.has('limb_surgery')) b.limb_surgery = amounts.limbSurgery ?? 0;
  if (category === 'vision' && want.has('low_vision_aid')) b.low_vision_aid = amounts.lowVisionAid ?? 0;
  return b;
}

const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;

/** The calendar a case runs on: real months and years, or a compressed one (test stacks). */
export interface RehabClock {
  /** End of month `m` (1-based) of a period that started at `startMs`. */
  monthEnd(startMs: number, m: number): number;
  /** Whole months left in the service year from `fromMs`. */
  monthsLeft(fromMs: number, yearEndMs: number): number;
  yearEnd(year: number, yearStartMs: number): number;
  days(n: number): number;
}

export function rehabClock(rules: Record<string, unknown>): RehabClock {
  const c = rules.compressedCalendar as { monthSeconds?: number; yearSeconds?: number } | undefined;
  if (c && typeof c.monthSeconds === 'number' && typeof c.yearSeconds === 'number' && c.monthSeconds > 0 && c.yearSeconds > 0) {
    const month = c.monthSeconds * 1000;
    return {
      monthEnd: (start, m) => start + m * month,
      monthsLeft: (from, end) => Math.max(0, Math.floor((end - from) / month)),
      yearEnd: (_y, start) => start + c.yearSeconds! * 1000,
      days: (n) => (n * month) / 30,
    };
  }
  const monthEnd = (start: number, m: number) => {
    // Same day-of-month m months later (clamped to the month's last day), Asia/Shanghai.
    const d = new Date(start + SHANGHAI);
    const y = d.getUTCFullYear();
    const mo = d.getUTCMonth() + m;
    const last = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
    const day = Math.min(d.getUTCDate(), last);
    return Date.UTC(y, mo, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) - SHANGHAI;
  };
  return {
    monthEnd,
    monthsLeft: (from, end) => {
      let m = 0;
      while (monthEnd(from, m + 1) <= end) m++;
      return m;
    },
    yearEnd: (year) => Date.parse(`${year}-12-31T23:59:59.999+08:00`),
    days: (n) => n * DAY,
  };
}
