/** The pure rules of the training programme: eligibility, hours, quota counting, payment. */
import {
  attendancePeriods,
  checkTrainingEligibility,
  hoursLimits,
  institutionPayment,
  monthsInYear,
  quotaCredit,
  quotaCounting,
  quotaSummary,
  TRAINING_DEFAULTS,
  TRAINING_RULES_VERSION,
  trainingRules,
  type TrainingFacts,
} from '../../../workflows/contracts';

const rules = trainingRules(TRAINING_DEFAULTS);
const course = { id: 'c1', name: '电商班', status: 'open', places: 30, taken: 12, waiting: 0, startDate: '2026-03-02', endDate: '2026-03-27' };
const base: TrainingFacts = {
  today: '2026-02-10',
  age: 35,
  sex: 'F',
  hasCertificate: true,
  disabilityCategory: 4,
  disabilityGrade: 3,
  education: 'junior_secondary',
  selfCare: true,
  openTrainingCases: 0,
  course,
  rules,
};
const failed = (f: Partial<TrainingFacts>) => checkTrainingEligibility({ ...base, ...f }).rules.filter((r) => !r.ok).map((r) => r.rule);

describe('enrolment eligibility', () => {
  it('accepts a working-age certificate holder with schooling and self-care, every rule explained', () => {
    const r = checkTrainingEligibility(base);
    expect(r.eligible).toBe(true);
    expect(r.rules.map((x) => x.rule)).toEqual(['no_open_case', 'certificate', 'working_age', 'education', 'self_care', 'not_severe_intellectual_psychiatric', 'course_open']);
    for (const x of r.rules) {
      expect(x.version).toBe(TRAINING_RULES_VERSION);
      expect(x.message).toMatch(/[\u4e00-\u9fff]/);
      expect(x.messageEn).toMatch(/[a-z]/);
    }
    expect(r.waitlisted).toBe(false);
  });

  it('working age: women 16–54, men 16–59 by default', () => {
    expect(failed({ sex: 'F', age: 54 })).toEqual([]);
    expect(failed({ sex: 'F', age: 55 })).toEqual(['working_age']);
    expect(failed({ sex: 'M', age: 59 })).toEqual([]);
    expect(failed({ sex: 'M', age: 60 })).toEqual(['working_age']);
    expect(failed({ age: 15 })).toEqual(['working_age']);
    const r = checkTrainingEligibility({ ...base, sex: 'F', age: 55 }).rules.find((x) => x.rule === 'working_age')!;
    expect(r.message).toContain('16–54');
  });

  it('refuses with a reason: no certificate, below primary school, no self-care, missing facts, an open case', () => {
    expect(failed({ hasCertificate: false })).toEqual(['certificate']);
    expect(failed({ education: 'none' })).toEqual(['education']);
    expect(failed({ education: 'primary' })).toEqual([]);
    expect(failed({ education: undefined })).toEqual(['education']);
    expect(failed({ selfCare: false })).toEqual(['self_care']);
    expect(failed({ selfCare: undefined })).toEqual(['self_care']);
    expect(failed({ openTrainingCases: 1 })).toEqual(['no_open_case']);
  });

  it('excludes grade 1–2 intellectual or psychiatric disability by default; a jurisdiction may lift it', () => {
    expect(failed({ disabilityCategory: 6, disabilityGrade: 2 })).toEqual(['not_severe_intellectual_psychiatric']);
    expect(failed({ disabilityCategory: 5, disabilityGrade: 1 })).toEqual(['not_severe_intellectual_psychiatric']);
    expect(failed({ disabilityCategory: 5, disabilityGrade: 3 })).toEqual([]);
    expect(failed({ disabilityCategory: 4, disabilityGrade: 1 })).toEqual([]);
    const lifted = trainingRules({ rules: { ...TRAINING_DEFAULTS.rules, excludeSevereIntellectualPsychiatric: false } });
    expect(failed({ disabilityCategory: 6, disabilityGrade: 1, rules: lifted })).toEqual([]);
  });

  it('a full course is not a refusal: the trainee is waitlisted; a closed or missing course is', () => {
    const full = checkTrainingEligibility({ ...base, course: { ...course, taken: 30, waiting: 4 } });
    expect(full.eligible).toBe(true);
    expect(full.waitlisted).toBe(true);
    expect(full.rules.find((r) => r.rule === 'course_open')!.message).toContain('候补');
    expect(failed({ course: { ...course, status: 'closed' } })).toEqual(['course_open']);
    expect(failed({ course: null, courseProblem: { zh: '没有该培训班', en: 'no such course' } })).toEqual(['course_open']);
  });
});

describe('hours and attendance periods', () => {
  it('needs 90 % of the hours and allows at most 10 % more', () => {
    expect(hoursLimits(120, rules)).toEqual({ required: 108, maxExtension: 12, max: 132 });
    expect(hoursLimits(40, rules)).toEqual({ required: 36, maxExtension: 4, max: 44 });
  });

  it('splits a course into 14-day periods, the last one ending with the course', () => {
    expect(attendancePeriods('2026-03-02', '2026-03-27', 14)).toEqual([
      { n: 1, from: '2026-03-02', to: '2026-03-15' },
      { n: 2, from: '2026-03-16', to: '2026-03-27' },
    ]);
    expect(attendancePeriods('2026-03-02', '2026-03-02', 14)).toEqual([{ n: 1, from: '2026-03-02', to: '2026-03-02' }]);
    expect(attendancePeriods('2026-12-20', '2027-01-10', 7).map((p) => p.to)).toEqual(['2026-12-26', '2027-01-02', '2027-01-09', '2027-01-10']);
  });
});

describe('quota counting', () => {
  const r = { minimumWage: 1900, minContractMonths: 12 };
  it('counts a quota placement with a contract of a year, minimum wage and social insurance; grade 1–2 double', () => {
    expect(quotaCounting({ channel: 'quota_employer', contractMonths: 12, monthlyPay: 1900, socialInsurance: true, disabilityGrade: 3 }, r)).toEqual({ counts: true, weight: 1, reasons: [] });
    expect(quotaCounting({ channel: 'quota_employer', contractMonths: 36, monthlyPay: 3000, socialInsurance: true, disabilityGrade: 2 }, r).weight).toBe(2);
    expect(quotaCounting({ channel: 'quota_employer', contractMonths: 36, monthlyPay: 3000, socialInsurance: true, disabilityGrade: 1 }, r).weight).toBe(2);
  });

  it('does not count, with every reason: a 6-month contract, pay under the minimum wage, no insurance, other channels', () => {
    const q = quotaCounting({ channel: 'quota_employer', contractMonths: 6, monthlyPay: 1500, socialInsurance: false, disabilityGrade: 1 }, r);
    expect(q.counts).toBe(false);
    expect(q.weight).toBe(0);
    expect(q.reasons.map((x) => x.code)).toEqual(['contract_too_short', 'below_minimum_wage', 'no_social_insurance']);
    expect(q.reasons[0].message).toContain('6 个月');
    expect(quotaCounting({ channel: 'public_welfare', monthlyPay: 2000 }, r).reasons.map((x) => x.code)).toEqual(['not_quota_employer']);
    expect(quotaCounting({ channel: 'self_employment' }, r).counts).toBe(false);
  });

  it('required = headcount × rate; shortfall and met', () => {
    expect(quotaSummary(200, 0.015, 2)).toEqual({ required: 3, shortfall: 1, met: false });
    expect(quotaSummary(150, 0.015, 3)).toEqual({ required: 2.25, shortfall: 0, met: true });
    expect(quotaSummary(null, 0.015, 3)).toEqual({ required: null, shortfall: null, met: null });
  });

  it('months of a year a placement held', () => {
    expect(monthsInYear('2026-03-15', null, 2026, '2026-12-31')).toBe(10);
    expect(monthsInYear('2025-06-01', '2026-02-10', 2026, '2026-12-31')).toBe(2);
    expect(monthsInYear('2026-03-15', null, 2026, '2026-05-01')).toBe(3);
    expect(monthsInYear('2027-01-01', null, 2026, '2026-12-31')).toBe(0);
  });

  it('a placement adds weight × months held ÷ 12 to the yearly count (monthly average), not a whole person', () => {
    // all year, grade 3: one person
    expect(quotaCredit(1, monthsInYear('2025-06-01', null, 2026, '2026-12-31'))).toBe(1);
    // from October: a quarter; grade 1–2 from July: one (double weight for half a year)
    expect(quotaCredit(1, monthsInYear('2026-10-08', null, 2026, '2026-12-31'))).toBe(0.25);
    expect(quotaCredit(2, monthsInYear('2026-07-01', null, 2026, '2026-12-31'))).toBe(1);
    // ended in February after a year: 2 months
    expect(quotaCredit(1, monthsInYear('2025-02-01', '2026-02-10', 2026, '2026-12-31'))).toBe(0.17);
    // mid-year: only the months up to today
    expect(quotaCredit(1, monthsInYear('2026-01-15', null, 2026, '2026-06-30'))).toBe(0.5);
    expect(quotaCredit(0, 12)).toBe(0);
    expect(quotaCredit(1, 15)).toBe(1);
  });
});

describe('institution payment', () => {
  const p = { feePerTrainee: 2000, passRateMin: 0.8, employmentRateMin: 0.7 };
  it('pays the full cohort when pass rate ≥ 80 % and employment rate ≥ 70 %', () => {
    expect(institutionPayment({ ...p, cohort: 10, passed: 8, employed: 7 })).toMatchObject({ basis: 'full', amount: 20000, passRate: 0.8, employmentRate: 0.7, reasons: [] });
  });
  it('otherwise per employed trainee, saying which threshold was missed', () => {
    const a = institutionPayment({ ...p, cohort: 10, passed: 9, employed: 6 });
    expect(a).toMatchObject({ basis: 'per_employed_trainee', amount: 12000 });
    expect(a.reasons.map((r) => r.code)).toEqual(['employment_rate']);
    const b = institutionPayment({ ...p, cohort: 10, passed: 7, employed: 9 });
    expect(b.reasons.map((r) => r.code)).toEqual(['pass_rate']);
    expect(b.amount).toBe(18000);
    expect(institutionPayment({ ...p, cohort: 0, passed: 0, employed: 0 })).toMatchObject({ basis: 'per_employed_trainee', amount: 0 });
  });
});
