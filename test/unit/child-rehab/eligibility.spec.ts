/** The pure child-rehabilitation rules, budget and calendar (workflows/programs/child-rehab). */
import {
  type AgeLimit,
  ageLimitsProblems,
  agesOutIn,
  CATARACT_DEFAULTS,
  checkChildRehabEligibility,
  CHILD_REHAB_AGE_LIMITS_VERSION,
  CHILD_REHAB_RULES_VERSION,
  type ChildRehabFacts,
  diagnosisExpiry,
  effectiveMaxAge,
} from '../../../workflows/contracts';
import { settingsProblems } from '../../../src/programmes/programme-config.service';
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

describe('age-limit variants per category (settings.rules.ageLimits)', () => {
  const limits: AgeLimit[] = [
    { categories: ['autism'], maxAge: 14 },
    { categories: ['hearing', 'limb'], maxAge: 18, requiresCertificate: true },
  ];
  const ageRule = (f: Partial<ChildRehabFacts>) => checkChildRehabEligibility({ ...base, ...f }).rules.find((r) => r.rule === 'age')!;
  const autism: Partial<ChildRehabFacts> = {
    category: 'autism', needs: [], diagnosis: { hospital: '省儿童医院', date: '2025-01-01', category: 'autism' }, service: 'rehab_autism',
    institution: { ...base.institution!, services: ['rehab_autism'] },
  };

  test('without ageLimits the age rule is the @2026-01 one, message for message', () => {
    for (const ageLimits of [undefined, []]) {
      expect(ageRule({ ageLimits, birthDate: '2019-01-02' })).toEqual({ rule: 'age', version: 'child-rehab-eligibility@2026-01', ok: true, message: '2026-01-01 时 6 岁，未满 7 周岁', messageEn: '6 on 2026-01-01, under 7' });
      expect(ageRule({ ageLimits, birthDate: '2019-01-01' })).toEqual({
        rule: 'age', version: 'child-rehab-eligibility@2026-01', ok: false,
        message: '2026-01-01 时已满 7 周岁，本地救助年龄为未满 7 周岁', messageEn: 'aged 7 on 2026-01-01; this jurisdiction serves children under 7',
      });
      expect(checkChildRehabEligibility({ ...base, ageLimits }).rules.every((r) => r.version === CHILD_REHAB_RULES_VERSION)).toBe(true);
    }
  });

  test('autism served to 14: a 13-year-old passes, a 14-year-old is refused naming the rule, its version and the limit', () => {
    const ok = ageRule({ ...autism, ageLimits: limits, birthDate: '2012-06-01' }); // 13 on 2026-01-01
    expect(ok).toMatchObject({ ok: true, version: CHILD_REHAB_AGE_LIMITS_VERSION });
    expect(ok.message).toContain('孤独症类别救助至未满 14 周岁');
    const no = ageRule({ ...autism, ageLimits: limits, birthDate: '2012-01-01' }); // 14
    expect(no).toMatchObject({ rule: 'age', ok: false, version: 'child-rehab-eligibility@2026-12' });
    expect(no.messageEn).toBe('aged 14 on 2026-01-01; this jurisdiction serves autism children under 14');
    // Only the age rule moves to the new version; the others stay @2026-01.
    const all = checkChildRehabEligibility({ ...base, ...autism, ageLimits: limits, birthDate: '2012-06-01' });
    expect(all.eligible).toBe(true);
    expect(all.rules.filter((r) => r.version !== CHILD_REHAB_RULES_VERSION).map((r) => r.rule)).toEqual(['age']);
  });

  test('hearing and limb to 18 only with a certificate of that category; without one the default limit, and the refusal says so', () => {
    const hearingCert = { no: '11010520150101001X22', category: 2 };
    expect(ageRule({ ageLimits: limits, birthDate: '2010-03-03', certificate: hearingCert })).toMatchObject({ ok: true }); // 15
    expect(ageRule({ ageLimits: limits, birthDate: '2008-01-01', certificate: hearingCert })).toMatchObject({ ok: false }); // 18
    const noCert = ageRule({ ageLimits: limits, birthDate: '2010-03-03', certificate: null });
    expect(noCert).toMatchObject({ ok: false, version: CHILD_REHAB_AGE_LIMITS_VERSION });
    expect(noCert.message).toContain('持残疾人证的儿童救助至未满 18 周岁');
    expect(noCert.messageEn).toMatch(/under 18 only with a disability certificate.*without one, under 7/);
    // a certificate of another category does not count; 多重 (7) covers every category
    expect(ageRule({ ageLimits: limits, birthDate: '2010-03-03', certificate: { no: 'x', category: 4 } }).ok).toBe(false);
    expect(ageRule({ ageLimits: limits, birthDate: '2010-03-03', certificate: { no: 'x', category: 7 } }).ok).toBe(true);
    expect(ageRule({ ageLimits: limits, category: 'limb', needs: [], birthDate: '2010-03-03', certificate: { no: 'x', category: 4 } }).ok).toBe(true);
    // a category with no variant keeps maxAge (and the jurisdiction's maxAge still applies, e.g. 8)
    expect(ageRule({ ageLimits: limits, category: 'vision', needs: [], birthDate: '2018-06-01' })).toMatchObject({ ok: false, version: CHILD_REHAB_AGE_LIMITS_VERSION });
    expect(ageRule({ ageLimits: limits, maxAge: 8, category: 'vision', needs: [], birthDate: '2018-06-01' }).ok).toBe(true);
  });

  test('effectiveMaxAge fixes the case limit the renewals use; ageLimitsProblems checks the configuration', () => {
    expect(effectiveMaxAge(7, limits, 'autism', null)).toMatchObject({ maxAge: 14 });
    expect(effectiveMaxAge(7, limits, 'hearing', null)).toMatchObject({ maxAge: 7, withheld: limits[1] });
    expect(effectiveMaxAge(7, limits, 'hearing', { category: 2 })).toMatchObject({ maxAge: 18, limit: limits[1] });
    expect(effectiveMaxAge(7, undefined, 'autism', null)).toEqual({ maxAge: 7, limit: null, withheld: null });
    expect(agesOutIn('2012-06-01', effectiveMaxAge(7, limits, 'autism', null).maxAge)).toBe(2027);

    expect(ageLimitsProblems(limits)).toEqual([]);
    expect(ageLimitsProblems({})).toHaveLength(1);
    expect(ageLimitsProblems([{ categories: ['autism'], maxAge: 19 }])[0]).toMatch(/maxAge/);
    expect(ageLimitsProblems([{ categories: ['dance'], maxAge: 14 }])[0]).toMatch(/categories/);
    expect(ageLimitsProblems([{ categories: ['autism'], maxAge: 14 }, { categories: ['autism'], maxAge: 18 }])[0]).toMatch(/earlier/);
    expect(ageLimitsProblems([{ categories: ['autism'], maxAge: 14, requiresCertificate: 'yes' }])[0]).toMatch(/requiresCertificate/);
    expect(ageLimitsProblems([{ categories: ['autism'], maxAge: 14, extra: 1 }])[0]).toMatch(/unknown key/);
    // The programme-config check refuses a bad ageLimits, and ageLimits on another programme.
    const ok = settingsProblems({ steps: {}, rules: { ageLimits: limits } }, CHILD_REHAB_DEFAULTS);
    expect(ok).toEqual([]);
    expect(settingsProblems({ steps: {}, rules: { ageLimits: [{ categories: ['autism'], maxAge: 30 }] } }, CHILD_REHAB_DEFAULTS).map((p) => p.path)).toEqual(['settings.rules.ageLimits']);
    expect(settingsProblems({ steps: {}, rules: { ageLimits: limits } }, CATARACT_DEFAULTS).map((p) => p.path)).toEqual(['settings.rules.ageLimits']);
  });
});
