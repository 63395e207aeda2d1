/**
 * Cataract eligibility as pure, versioned rules: the api's pre-check explains each one to the
 * caseworker, and the same function decides at registration. Inputs are facts gathered by the
 * caller (no I/O here). Every refusal names its rule and this version.
 */
export const CATARACT_RULES_VERSION = 'cataract-eligibility@2026-01';

export interface CataractFacts {
  today: string; // YYYY-MM-DD, Asia/Shanghai
  age: number;
  hardship: string[];
  hasCertificate: boolean;
  openCataractCases: number;
  /** Surgeries recorded for this person in the current calendar year. */
  surgeriesThisYear: number;
  /** The campaign the person would join (open now, or the next one), if any. */
  campaign: { name: string; registrationStart: string; registrationEnd: string; screeningStart: string } | null;
  oneEyePerYear: boolean;
  minAge?: number;
}

export interface RuleResult {
  rule: string;
  version: string;
  ok: boolean;
  message: string;
  messageEn: string;
}

export function checkCataractEligibility(f: CataractFacts): { eligible: boolean; rules: RuleResult[]; priority: number; waitsForNextCampaign: boolean } {
  const r = (rule: string, ok: boolean, message: string, messageEn: string): RuleResult => ({ rule, version: CATARACT_RULES_VERSION, ok, message, messageEn });
  const minAge = f.minAge ?? 0;
  const waits = !!f.campaign && f.today < f.campaign.registrationStart;
  const rules = [
    r('no_open_case', f.openCataractCases === 0, f.openCataractCases === 0 ? '无在办的白内障个案' : '该人员已有在办的白内障个案，不能重复登记', f.openCataractCases === 0 ? 'no open cataract case' : 'this person already has an open cataract case'),
    r(
      'one_eye_per_year',
      !f.oneEyePerYear || f.surgeriesThisYear === 0,
      !f.oneEyePerYear || f.surgeriesThisYear === 0 ? '本年度未做过白内障手术' : '本年度已做过一眼手术，每年限做一眼，请明年再登记',
      !f.oneEyePerYear || f.surgeriesThisYear === 0 ? 'no surgery this year' : 'one eye per year: this person already had surgery this year',
    ),
    r(
      'campaign_available',
      !!f.campaign,
      f.campaign ? (waits ? `本期报名已截止，将进入下一期「${f.campaign.name}」（${f.campaign.screeningStart} 起筛查）` : `进入「${f.campaign.name}」（报名截至 ${f.campaign.registrationEnd}）`) : '本县暂无开放或计划中的复明行动，请先由县残联设置活动',
      f.campaign ? (waits ? `registration closed; joins the next campaign "${f.campaign.name}" (screening from ${f.campaign.screeningStart})` : `joins campaign "${f.campaign.name}" (registration until ${f.campaign.registrationEnd})`) : 'no open or planned campaign in this county',
    ),
    r('age', f.age >= minAge, f.age >= minAge ? `年龄 ${f.age} 岁符合要求` : `年龄 ${f.age} 岁，低于 ${minAge} 岁`, f.age >= minAge ? `age ${f.age} meets the rule` : `age ${f.age} is under ${minAge}`),
  ];
  return { eligible: rules.every((x) => x.ok), rules, priority: cataractPriority(f), waitsForNextCampaign: waits };
}

/** Priority (higher first): 低保, 特困, near-低保, certificate holders, age 60+/75+ (PROGRAMMES.md §2). */
export function cataractPriority(f: Pick<CataractFacts, 'hardship' | 'hasCertificate' | 'age'>): number {
  let p = 0;
  if (f.hardship.includes('dibao')) p += 3;
  if (f.hardship.includes('tekun')) p += 3;
  if (f.hardship.includes('near_dibao')) p += 2;
  if (f.hardship.includes('low_income') || f.hardship.includes('jiandang')) p += 1;
  if (f.hasCertificate) p += 1;
  if (f.age >= 75) p += 2;
  else if (f.age >= 60) p += 1;
  return p;
}
