/** The pure child-rehabilitation rules, budget and calendar (workflows/programs/child-rehab). */
import { agesOutIn, checkChildRehabEligibility, CHILD_REHAB_RULES_VERSION, type ChildRehabFacts, diagnosisExpiry } from '../../../workflows/contracts';
import { ageOnDay, childRehabPriority, priorityGroupsOf } from '../../../workflows/programs/child-rehab/eligibility';
import { approvedBudget, CHILD_REHAB_DEFAULTS, rehabClock } from '../../../workflows/programs/child-rehab/steps';

const base: ChildRehabFacts = {
  today: '2026-11-23',
  year: 2026,
  birthDate: '2021-05-05',
  maxAge: 7,
  category: 'hearing',
  categories: ['vision', 'hearing', 'speech', 'limb', 'intellectual', 'autism'],
  needs: ['cochlear_implant'],
  certificate: null,
  diagnosis: { hospital: '省儿童医院', date: '2025-01-01', category: 'hearing' },
  diagnosisValidYears: { vision: 1, other: 3 },
  guardian: { name: '张丽', relation: '母亲' },
  residence: 'hukou',
  residencePermit: null,
  acceptResidencePermit: true,
  hardship: [],
  declaredGroups: [],
  priorityGroupsOnly: false,
  openCases: 0,
  institution: { id: 'i', name: '康复中心', kind: 'rehab_institution', status: 'active', inForce: true, services: ['rehab_hearing'] },
  service: 'rehab_hearing',
};
const failed = (f: Partial<ChildRehabFacts>) => checkChildRehabEligibility({ ...base, ...f }).rules.filter((r) => !r.ok).map((r) => r.rule);

test('an eligible application passes every rule, each named with the rules version', () => {
  const r = checkChildRehabEligibility(base);
  expect(r.eligible).toBe(true);
  expect(r.rules.map((x) => x.rule)).toEqual(['no_open_case', 'age', 'residence', 'category', 'needs', 'evidence', 'guardian', 'institution', 'priority_group']);
  expect(r.rules.every((x) => x.version === CHILD_REHAB_RULES_VERSION)).toBe(true);
});

test('age: under 7 on 1 January of the application year, configurable per jurisdiction', () => {
  expect(failed({ birthDate: '2019-01-02' })).toEqual([]); // 6 on 2026-01-01
  expect(failed({ birthDate: '2019-01-01' })).toEqual(['age']); // 7 on 2026-01-01
  expect(failed({ birthDate: '2013-06-01', maxAge: 14 })).toEqual([]);
  expect(failed({ birthDate: '2026-03-01' })).toEqual([]); // born this year
  expect(ageOnDay('2020-06-01', '2027-01-01')).toBe(6);
  expect(agesOutIn('2020-06-01', 7)).toBe(2028);
  expect(agesOutIn('2020-01-01', 7)).toBe(2027);
  expect(agesOutIn('2020-06-01', 14)).toBe(2035);
});

test('evidence: a certificate of a matching category, or a diagnosis valid 1 year (vision) / 3 years (others)', () => {
  expect(diagnosisExpiry({ date: '2025-10-01', category: 'vision' }, base.diagnosisValidYears)).toBe('2026-09-30');
  expect(diagnosisExpiry({ date: '2024-02-29', category: 'autism' }, base.diagnosisValidYears)).toBe('2027-02-28');
  expect(failed({ diagnosis: { hospital: 'h', date: '2023-11-24', category: 'hearing' } })).toEqual([]);
  expect(failed({ diagnosis: { hospital: 'h', date: '2023-11-23', category: 'hearing' } })).toEqual(['evidence']);
  expect(failed({ diagnosis: { hospital: 'h', date: '2024-01-01', category: 'speech' } })).toEqual(['evidence']); // wrong category
  expect(failed({ diagnosis: null })).toEqual(['evidence']);
  expect(failed({ diagnosis: null, certificate: { no: '360121202105051234' + '21', category: 2 } })).toEqual([]);
  expect(failed({ diagnosis: null, certificate: { no: 'x', category: 4 } })).toEqual(['evidence']); // limb certificate for hearing
  expect(failed({ diagnosis: { hospital: '', date: '2025-01-01', category: 'hearing' } })).toEqual(['evidence']);
  const longer = checkChildRehabEligibility({ ...base, diagnosis: { hospital: 'h', date: '2022-01-01', category: 'hearing' }, diagnosisValidYears: { vision: 1, other: 5 } });
  expect(longer.eligible).toBe(true);
});

test('residence, category, needs, guardian, institution and open cases', () => {
  expect(failed({ residence: 'residence_permit', residencePermit: { number: 'JZ-1', validUntil: '2027-01-01' } })).toEqual([]);
  expect(failed({ residence: 'residence_permit', residencePermit: { number: 'JZ-1', validUntil: '2026-01-01' } })).toEqual(['residence']);
  expect(failed({ residence: 'residence_permit', residencePermit: { number: 'JZ-1', validUntil: '2027-01-01' }, acceptResidencePermit: false })).toEqual(['residence']);
  expect(failed({ categories: ['autism'] })).toEqual(['category']);
  expect(failed({ category: 'psychiatric' })).toEqual(['category']);
  expect(failed({ needs: ['limb_surgery'] })).toEqual(['needs']);
  expect(failed({ guardian: { name: null, relation: null } })).toEqual(['guardian']);
  expect(failed({ institution: null })).toEqual(['institution']);
  expect(failed({ institution: { ...base.institution!, status: 'suspended' } })).toEqual(['institution']);
  expect(failed({ institution: { ...base.institution!, kind: 'hospital' } })).toEqual(['institution']);
  expect(failed({ institution: { ...base.institution!, services: ['rehab_autism'] } })).toEqual(['institution']);
  expect(failed({ openCases: 1 })).toEqual(['no_open_case']);
});

test('priority groups come from hardship flags and declared groups; a jurisdiction may serve them only', () => {
  expect(priorityGroupsOf(['dibao', 'near_dibao'], ['orphan', 'bogus'])).toEqual(['dibao', 'orphan', 'other_hardship']);
  expect(childRehabPriority(['orphan', 'dibao'])).toBe(7);
  expect(checkChildRehabEligibility({ ...base, hardship: ['jiandang'] }).priority).toBe(3);
  expect(failed({ priorityGroupsOnly: true })).toEqual(['priority_group']);
  expect(failed({ priorityGroupsOnly: true, declaredGroups: ['welfare_institution'] })).toEqual([]);
});

test('approved amounts per category and items (settings.amounts)', () => {
  const a = CHILD_REHAB_DEFAULTS.amounts;
  expect(approvedBudget(a, 'hearing', ['cochlear_implant'])).toEqual({ training: 15000, cochlear_implant: 60000, cochlear_surgery: 12000 });
  expect(approvedBudget(a, 'hearing', ['hearing_aid'])).toEqual({ training: 15000, hearing_aid: 6000 });
  expect(approvedBudget(a, 'limb', ['limb_surgery'])).toEqual({ training: 15000, limb_surgery: 10000 });
  expect(approvedBudget(a, 'vision', ['low_vision_aid'])).toEqual({ training: 15000, low_vision_aid: 100 });
  expect(approvedBudget({ ...a, training: 20000 }, 'autism', ['hearing_aid'])).toEqual({ training: 20000 });
});

test('the service calendar: whole months left in the year, and a compressed calendar for test stacks', () => {
  const c = rehabClock({});
  const feb20 = Date.parse('2027-02-20T09:00:00+08:00');
  const end = c.yearEnd(2027, feb20);
  expect(new Date(end).toISOString()).toBe('2027-12-31T15:59:59.999Z');
  expect(c.monthsLeft(feb20, end)).toBe(10);
  expect(c.monthsLeft(Date.parse('2027-03-01T09:00:00+08:00'), end)).toBe(9);
  expect(c.monthsLeft(Date.parse('2027-12-02T09:00:00+08:00'), end)).toBe(0);
  expect(new Date(c.monthEnd(Date.parse('2027-01-31T09:00:00+08:00'), 1)).toISOString()).toBe('2027-02-28T01:00:00.000Z'); // clamped
  const z = rehabClock({ compressedCalendar: { monthSeconds: 2, yearSeconds: 50 } });
  expect(z.yearEnd(2027, 1000)).toBe(51_000);
  expect(z.monthsLeft(1000, 51_000)).toBe(25);
  expect(z.days(30)).toBe(2000);
});
