/** The pure cataract rules: eligibility (each rule named), priority, and the follow-up window (workflows/programs/cataract). */
import { CATARACT_RULES_VERSION, checkCataractEligibility, type CataractFacts } from '../../../workflows/contracts';
import { cataractPriority } from '../../../workflows/programs/cataract/eligibility';
import { CATARACT_DEFAULTS, followUpWindowProblem } from '../../../workflows/programs/cataract/steps';

const base: CataractFacts = {
  today: '2026-11-23',
  age: 66,
  hardship: [],
  hasCertificate: false,
  openCataractCases: 0,
  surgeriesThisYear: 0,
  campaign: { name: '2026 秋季光明行', registrationStart: '2026-11-01', registrationEnd: '2026-11-30', screeningStart: '2026-12-01' },
  oneEyePerYear: true,
};
const check = (f: Partial<CataractFacts>) => checkCataractEligibility({ ...base, ...f });
const failed = (f: Partial<CataractFacts>) => check(f).rules.filter((r) => !r.ok).map((r) => r.rule);

test('an eligible registration passes every rule, each named with the rules version, in a fixed order', () => {
  const r = check({});
  expect(r.eligible).toBe(true);
  expect(r.rules.map((x) => x.rule)).toEqual(['no_open_case', 'one_eye_per_year', 'campaign_available', 'age']);
  expect(r.rules.every((x) => x.ok && x.version === CATARACT_RULES_VERSION && x.message && x.messageEn)).toBe(true);
  expect(r.waitsForNextCampaign).toBe(false);
});

test('an open cataract case refuses a second registration (no_open_case only)', () => {
  expect(failed({ openCataractCases: 1 })).toEqual(['no_open_case']);
  expect(check({ openCataractCases: 1 }).eligible).toBe(false);
});

test('one eye per year: a surgery this year refuses the registration, unless the jurisdiction turned the rule off', () => {
  expect(failed({ surgeriesThisYear: 1 })).toEqual(['one_eye_per_year']);
  const rule = check({ surgeriesThisYear: 1 }).rules.find((x) => x.rule === 'one_eye_per_year')!;
  expect(rule.message).toContain('每年限做一眼');
  expect(rule.messageEn).toMatch(/one eye per year/);
  expect(failed({ surgeriesThisYear: 1, oneEyePerYear: false })).toEqual([]);
  expect(failed({ surgeriesThisYear: 0 })).toEqual([]);
});

test('no open or planned campaign refuses (campaign_available); a campaign not yet open means waiting for it', () => {
  expect(failed({ campaign: null })).toEqual(['campaign_available']);
  // a late registrant: this campaign's registration closed, the adapter found the next one
  const next = { name: '2027 春季光明行', registrationStart: '2027-03-01', registrationEnd: '2027-03-31', screeningStart: '2027-04-10' };
  const late = check({ today: '2026-12-15', campaign: next });
  expect(late.eligible).toBe(true);
  expect(late.waitsForNextCampaign).toBe(true);
  expect(late.rules.find((x) => x.rule === 'campaign_available')!.message).toContain('2027 春季光明行');
  expect(late.rules.find((x) => x.rule === 'campaign_available')!.messageEn).toContain('screening from 2027-04-10');
  // on the first registration day it is no longer a wait
  expect(check({ today: '2027-03-01', campaign: next }).waitsForNextCampaign).toBe(false);
});

test('a minimum age from the settings refuses younger people (age); no minimum by default', () => {
  expect(failed({ age: 50, minAge: 60 })).toEqual(['age']);
  expect(failed({ age: 60, minAge: 60 })).toEqual([]);
  expect(failed({ age: 5 })).toEqual([]);
});

test('every failed rule is reported together', () => {
  expect(failed({ openCataractCases: 1, surgeriesThisYear: 2, campaign: null, age: 40, minAge: 50 })).toEqual(['no_open_case', 'one_eye_per_year', 'campaign_available', 'age']);
});

test('priority: 低保, 特困, near-低保, certificate holders, then age 60+/75+', () => {
  expect(cataractPriority({ hardship: [], hasCertificate: false, age: 59 })).toBe(0);
  expect(cataractPriority({ hardship: [], hasCertificate: false, age: 60 })).toBe(1);
  expect(cataractPriority({ hardship: [], hasCertificate: false, age: 75 })).toBe(2);
  expect(cataractPriority({ hardship: ['dibao'], hasCertificate: false, age: 40 })).toBe(3);
  expect(cataractPriority({ hardship: ['dibao', 'tekun'], hasCertificate: true, age: 80 })).toBe(9);
  expect(cataractPriority({ hardship: ['near_dibao'], hasCertificate: false, age: 40 })).toBe(2);
  expect(cataractPriority({ hardship: ['low_income'], hasCertificate: true, age: 40 })).toBe(2);
  expect(check({ hardship: ['dibao'], age: 76 }).priority).toBe(5);
});

describe('phone follow-up window (day 3–5 after surgery)', () => {
  const phone = CATARACT_DEFAULTS.followUps.find((f) => f.step === 'followup_phone')!;
  const visit2w = CATARACT_DEFAULTS.followUps.find((f) => f.step === 'followup_2w')!;
  const surgery = '2026-12-28'; // the window crosses the new year: 2026-12-31 … 2027-01-02

  test('the default step table puts the phone follow-up on days 3–5', () => {
    expect(phone).toMatchObject({ dueAfterDays: 5, windowFromDays: 3, mode: 'phone' });
  });

  test('a contact before day 3 is refused with the window dates; from day 3 on (or late) it counts', () => {
    const early = followUpWindowProblem(phone, surgery, {}, '2026-12-30');
    expect(early).toContain('2026-12-31 至 2027-01-02');
    expect(early).toMatch(/too early/);
    expect(followUpWindowProblem(phone, surgery, { contactedOn: '2026-12-30' }, '2027-01-01')).toMatch(/2026-12-30 is too early/);
    expect(followUpWindowProblem(phone, surgery, {}, '2026-12-31')).toBeNull();
    expect(followUpWindowProblem(phone, surgery, { contactedOn: '2026-12-31' }, '2027-01-05')).toBeNull();
    expect(followUpWindowProblem(phone, surgery, {}, '2027-01-09')).toBeNull(); // late: overdue, still recorded
  });

  test('the contact day must be a real date and not in the future', () => {
    expect(followUpWindowProblem(phone, surgery, { contactedOn: '2027-01-03' }, '2027-01-02')).toMatch(/cannot be after today/);
    expect(followUpWindowProblem(phone, surgery, { contactedOn: '2027-02-30' }, '2027-03-05')).toMatch(/YYYY-MM-DD/);
    expect(followUpWindowProblem(phone, surgery, { contactedOn: 20270101 }, '2027-03-05')).toMatch(/YYYY-MM-DD/);
  });

  test('a follow-up without a window is not restricted', () => {
    expect(followUpWindowProblem(visit2w, surgery, {}, surgery)).toBeNull();
  });
});
