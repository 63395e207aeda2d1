/**
 * Child rescue rehabilitation (残疾儿童康复救助) eligibility as pure, versioned rules: the api's
 * pre-check explains each one to the caseworker, the same function decides at registration, and
 * the workflow uses the age and diagnosis rules again at each yearly renewal. Inputs are facts
 * gathered by the caller (no I/O here). Every refusal names its rule and this version.
 */
import type { RuleResult } from '../cataract/eligibility';
import type { Diagnosis, PriorityGroup, RehabCategory, RehabItem } from '../../contracts/child-rehab';

export const CHILD_REHAB_RULES_VERSION = 'child-rehab-eligibility@2026-01';
/**
 * The age rule with per-category limits (settings.rules.ageLimits). Used only for the `age` rule and
 * only where a jurisdiction configures ageLimits; without them every rule, the age rule included, is
 * the @2026-01 one, unchanged.
 */
export const CHILD_REHAB_AGE_LIMITS_VERSION = 'child-rehab-eligibility@2026-12';

/**
 * A local variant of the age limit: children of these categories are served while under `maxAge` on
 * 1 January (e.g. autism to 14; hearing and limb to 18 only with a disability certificate). The first
 * entry listing the category applies; a category listed nowhere keeps the jurisdiction's maxAge.
 */
export interface AgeLimit {
  categories: RehabCategory[];
  maxAge: number;
  /** The limit applies only to a child holding a disability certificate covering the category; others keep maxAge. */
  requiresCertificate?: boolean;
}

/** The categories, the partner service each is trained under, and the items besides training it may
 * apply for: pure data, shared by the workflow, the api (through workflows/contracts) and the web app. */
export const REHAB_CATEGORIES: readonly RehabCategory[] = ['vision', 'hearing', 'speech', 'limb', 'intellectual', 'autism'];
const CATEGORIES = REHAB_CATEGORIES;
export const REHAB_SERVICE: Record<RehabCategory, string> = {
  vision: 'rehab_vision',
  hearing: 'rehab_hearing',
  speech: 'rehab_speech',
  limb: 'rehab_limb',
  intellectual: 'rehab_intellectual',
  autism: 'rehab_autism',
};
const CATEGORY_ZH: Record<RehabCategory, string> = { vision: '视力', hearing: '听力', speech: '言语', limb: '肢体', intellectual: '智力', autism: '孤独症' };
/** Certificate category digit (GB/T 26341) → programme categories it covers (7 = multiple: any). */
const CERT_COVERS: Record<number, RehabCategory[]> = {
  1: ['vision'],
  2: ['hearing', 'speech'],
  3: ['speech'],
  4: ['limb'],
  5: ['intellectual'],
  6: ['autism'],
  7: [...CATEGORIES],
};
/** Items besides training a category may apply for. */
export const ITEMS_BY_CATEGORY: Record<RehabCategory, RehabItem[]> = {
  vision: ['low_vision_aid'],
  hearing: ['hearing_aid', 'cochlear_implant'],
  speech: [],
  limb: ['limb_surgery'],
  intellectual: [],
  autism: [],
};

/** zh-CN names of the items and categories, for the workflow's refusal messages (the web app has its own table). */
export const REHAB_ITEM_ZH: Record<RehabItem, string> = {
  training: '康复训练', hearing_aid: '助听器', cochlear_implant: '人工耳蜗', cochlear_surgery: '人工耳蜗植入手术', limb_surgery: '肢体矫治手术', low_vision_aid: '助视器',
};
export const itemZh = (item: unknown): string => REHAB_ITEM_ZH[item as RehabItem] ?? String(item);
export const categoryZh = (cat: unknown): string => CATEGORY_ZH[cat as RehabCategory] ?? String(cat);

export interface ChildRehabFacts {
  today: string; // YYYY-MM-DD, Asia/Shanghai
  /** Application (service) year. */
  year: number;
  birthDate: string;
  /** Under this age on 1 January of the year (default 7; local variants 14 or 18). */
  maxAge: number;
  /** Per-category variants of maxAge (settings.rules.ageLimits); absent or empty: maxAge for all (rules @2026-01). */
  ageLimits?: readonly AgeLimit[];
  category: unknown;
  /** Categories the jurisdiction serves (default: all six). */
  categories: readonly string[];
  needs: unknown[];
  certificate: { no: string; category: number | null } | null;
  diagnosis: unknown;
  /** Diagnosis validity in years: vision 1, the others 3 (by default). */
  diagnosisValidYears: { vision: number; other: number };
  guardian: { name: string | null; relation: string | null };
  residence: unknown;
  residencePermit: { number?: unknown; validUntil?: unknown } | null;
  acceptResidencePermit: boolean;
  hardship: string[];
  /** Groups declared in the application (orphan, welfare_institution) besides the person's hardship flags. */
  declaredGroups: unknown[];
  /** Some jurisdictions serve only the priority groups (default false). */
  priorityGroupsOnly: boolean;
  openCases: number;
  /** The chosen institution, as the database knows it (null: unknown id). */
  institution: { id: string; name: string; kind: string; status: string; inForce: boolean; services: string[] } | null;
  /** The partner service trained for the category (e.g. rehab_hearing). */
  service: string | null;
}

const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));

/** Whole years of age on a day (birthday counts from the day itself). */
export function ageOnDay(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = onDate.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The first service year in which the child is no longer under `maxAge` on 1 January. */
export function agesOutIn(birthDate: string, maxAge: number): number {
  let y = Number(birthDate.slice(0, 4));
  while (ageOnDay(birthDate, `${y}-01-01`) < maxAge) y++;
  return y;
}

/** The certificate covers the category (its category digit, or 多重/unknown: any). */
export function certificateCovers(certificate: { category: number | null } | null, category: unknown): boolean {
  return !!certificate && CATEGORIES.includes(category as RehabCategory) && (certificate.category === null || (CERT_COVERS[certificate.category] ?? []).includes(category as RehabCategory));
}

/**
 * The age limit for one child: the first ageLimits entry listing the category, if its certificate
 * condition is met; else the jurisdiction's maxAge. `withheld` is the entry that would have applied
 * with a certificate (to explain a refusal). Also fixes the case's limit for its yearly renewals.
 */
export function effectiveMaxAge(
  maxAge: number,
  ageLimits: readonly AgeLimit[] | undefined,
  category: unknown,
  certificate: { category: number | null } | null,
): { maxAge: number; limit: AgeLimit | null; withheld: AgeLimit | null } {
  const entry = (ageLimits ?? []).find((l) => l.categories.includes(category as RehabCategory));
  if (!entry) return { maxAge, limit: null, withheld: null };
  if (entry.requiresCertificate && !certificateCovers(certificate, category)) return { maxAge, limit: null, withheld: entry };
  return { maxAge: entry.maxAge, limit: entry, withheld: null };
}

/** Problems with a settings.rules.ageLimits value (empty = valid), for the programme-config check. */
export function ageLimitsProblems(v: unknown): string[] {
  if (!Array.isArray(v) || v.length > CATEGORIES.length) return [`ageLimits 须为不超过 ${CATEGORIES.length} 项的数组 / ageLimits must be an array of at most ${CATEGORIES.length} entries`];
  const out: string[] = [];
  const seen = new Set<string>();
  v.forEach((l, i) => {
    const p = `ageLimits[${i}]`;
    if (typeof l !== 'object' || l === null || Array.isArray(l)) return out.push(`${p} 须为对象 {categories, maxAge, requiresCertificate?} / ${p} must be an object {categories, maxAge, requiresCertificate?}`);
    for (const k of Object.keys(l)) if (!['categories', 'maxAge', 'requiresCertificate'].includes(k)) out.push(`${p}.${k} 未知字段 / ${p}.${k}: unknown key`);
    const cats = (l as AgeLimit).categories;
    if (!Array.isArray(cats) || cats.length === 0 || !cats.every((c) => CATEGORIES.includes(c))) {
      out.push(`${p}.categories 须为 ${CATEGORIES.join('、')} 中的一个或多个 / ${p}.categories must list some of ${CATEGORIES.join(', ')}`);
    } else {
      for (const c of cats) {
        if (seen.has(c)) out.push(`${p}.categories：${c} 已在前面的年龄限制中 / ${p}.categories: ${c} is already in an earlier age limit`);
        seen.add(c);
      }
    }
    const max = (l as AgeLimit).maxAge;
    if (!Number.isInteger(max) || max < 1 || max > 18) out.push(`${p}.maxAge 须为1至18的整数（未满该周岁） / ${p}.maxAge must be an integer 1-18 (under that age)`);
    const rc = (l as AgeLimit).requiresCertificate;
    if (rc !== undefined && typeof rc !== 'boolean') out.push(`${p}.requiresCertificate 须为 true 或 false / ${p}.requiresCertificate must be true or false`);
  });
  return out;
}

/** Last day a diagnosis is valid (the day before its anniversary after `years`). */
export function diagnosisExpiry(d: Pick<Diagnosis, 'date' | 'category'>, valid: { vision: number; other: number }): string {
  const years = d.category === 'vision' ? valid.vision : valid.other;
  const [y, m, day] = d.date.split('-').map(Number);
  const anniversary = Date.UTC(y + years, m - 1, day);
  return new Date(anniversary - 86_400_000).toISOString().slice(0, 10);
}

export function validDiagnosis(v: unknown): v is Diagnosis {
  const d = v as Diagnosis;
  return !!d && typeof d === 'object' && typeof d.hospital === 'string' && d.hospital.trim().length > 0 && isDate(d.date) && CATEGORIES.includes(d.category);
}

/** The priority groups a child belongs to (person's hardship flags + declared groups). */
export function priorityGroupsOf(hardship: string[], declared: unknown[]): PriorityGroup[] {
  const g = new Set<PriorityGroup>();
  if (hardship.includes('dibao')) g.add('dibao');
  if (hardship.includes('jiandang')) g.add('jiandang');
  if (hardship.some((h) => h === 'tekun' || h === 'low_income' || h === 'near_dibao')) g.add('other_hardship');
  for (const d of declared) if (d === 'orphan' || d === 'welfare_institution' || d === 'other_hardship') g.add(d);
  return [...g].sort();
}

/** Priority (higher first, also the waitlist order): orphans and welfare-institution children, 低保, 建档立卡, other hardship. */
export function childRehabPriority(groups: PriorityGroup[]): number {
  const w: Record<PriorityGroup, number> = { orphan: 4, welfare_institution: 4, dibao: 3, jiandang: 3, other_hardship: 2 };
  return groups.reduce((p, g) => p + (w[g] ?? 0), 0);
}

/** The age rule under per-category limits (version CHILD_REHAB_AGE_LIMITS_VERSION). */
function ageWithLimits(f: ChildRehabFacts, age: number, jan1: string): RuleResult {
  const r = (ok: boolean, message: string, messageEn: string): RuleResult => ({ rule: 'age', version: CHILD_REHAB_AGE_LIMITS_VERSION, ok, message, messageEn });
  const e = effectiveMaxAge(f.maxAge, f.ageLimits, f.category, f.certificate);
  const cat = f.category as RehabCategory;
  const zh = CATEGORY_ZH[cat] ? `${CATEGORY_ZH[cat]}类别` : '';
  const a = Math.max(age, 0);
  if (age < e.maxAge) {
    return e.limit
      ? r(true, `${jan1} 时 ${a} 岁，未满 ${e.maxAge} 周岁（本地${zh}救助至未满 ${e.maxAge} 周岁${e.limit.requiresCertificate ? '，持残疾人证' : ''}）`,
          `${a} on ${jan1}, under ${e.maxAge} (local limit for ${cat}${e.limit.requiresCertificate ? ' with a disability certificate' : ''})`)
      : r(true, `${jan1} 时 ${a} 岁，未满 ${e.maxAge} 周岁`, `${a} on ${jan1}, under ${e.maxAge}`);
  }
  if (e.withheld && age < e.withheld.maxAge) {
    return r(false,
      `${jan1} 时已满 ${age} 周岁：本地${zh}持残疾人证的儿童救助至未满 ${e.withheld.maxAge} 周岁，未持该类别残疾人证的救助年龄为未满 ${e.maxAge} 周岁`,
      `aged ${age} on ${jan1}: this jurisdiction serves ${cat} children under ${e.withheld.maxAge} only with a disability certificate of that category; without one, under ${e.maxAge}`);
  }
  return e.limit
    ? r(false, `${jan1} 时已满 ${age} 周岁，本地${zh}救助年龄为未满 ${e.maxAge} 周岁`, `aged ${age} on ${jan1}; this jurisdiction serves ${cat} children under ${e.maxAge}`)
    : r(false, `${jan1} 时已满 ${age} 周岁，本地救助年龄为未满 ${e.maxAge} 周岁`, `aged ${age} on ${jan1}; this jurisdiction serves children under ${e.maxAge}`);
}

export function checkChildRehabEligibility(f: ChildRehabFacts): { eligible: boolean; rules: RuleResult[]; priority: number; groups: PriorityGroup[] } {
  const r = (rule: string, ok: boolean, message: string, messageEn: string): RuleResult => ({ rule, version: CHILD_REHAB_RULES_VERSION, ok, message, messageEn });
  const rules: RuleResult[] = [];

  rules.push(
    f.openCases === 0
      ? r('no_open_case', true, '无在办的康复救助个案', 'no open child-rehabilitation case')
      : r('no_open_case', false, '该儿童已有在办的康复救助个案，不能重复申请', 'this child already has an open child-rehabilitation case'),
  );

  const jan1 = `${f.year}-01-01`;
  const age = ageOnDay(f.birthDate, jan1);
  if (!f.ageLimits || f.ageLimits.length === 0) {
    rules.push(
      age < f.maxAge
        ? r('age', true, `${jan1} 时 ${Math.max(age, 0)} 岁，未满 ${f.maxAge} 周岁`, `${Math.max(age, 0)} on ${jan1}, under ${f.maxAge}`)
        : r('age', false, `${jan1} 时已满 ${age} 周岁，本地救助年龄为未满 ${f.maxAge} 周岁`, `aged ${age} on ${jan1}; this jurisdiction serves children under ${f.maxAge}`),
    );
  } else {
    rules.push(ageWithLimits(f, age, jan1));
  }

  if (f.residence === 'residence_permit') {
    const p = f.residencePermit;
    const valid = !!p && typeof p.number === 'string' && p.number.trim().length > 0 && isDate(p.validUntil) && p.validUntil >= f.today;
    rules.push(
      !f.acceptResidencePermit
        ? r('residence', false, '本地仅受理本地户籍儿童的申请，不受理居住证申请', 'this jurisdiction accepts only children with local hukou, not residence permits')
        : valid
          ? r('residence', true, `持有效居住证（至 ${p!.validUntil}）`, `valid residence permit (until ${p!.validUntil})`)
          : r('residence', false, '居住证号码或有效期缺失，或居住证已过期', 'residence permit number or expiry missing, or the permit has expired'),
    );
  } else if (f.residence === undefined || f.residence === 'hukou') {
    rules.push(r('residence', true, '本地户籍', 'local hukou'));
  } else {
    rules.push(r('residence', false, 'residence 须为 hukou 或 residence_permit', 'residence must be hukou or residence_permit'));
  }

  const cat = f.category as RehabCategory;
  const knownCat = CATEGORIES.includes(cat);
  const served = knownCat && f.categories.includes(cat);
  rules.push(
    !knownCat
      ? r('category', false, `残疾类别须为 ${CATEGORIES.join('、')} 之一`, `category must be one of ${CATEGORIES.join(', ')}`)
      : served
        ? r('category', true, `${CATEGORY_ZH[cat]}类别在救助范围内`, `${cat} is covered`)
        : r('category', false, `本地救助范围不含${CATEGORY_ZH[cat]}类别`, `${cat} is not covered in this jurisdiction`),
  );
  if (knownCat) {
    const allowed = ['training', ...ITEMS_BY_CATEGORY[cat]];
    const bad = f.needs.filter((n) => typeof n !== 'string' || !allowed.includes(n));
    rules.push(
      bad.length === 0
        ? r('needs', true, `救助项目：${['training', ...f.needs].filter((v, i, a) => a.indexOf(v) === i).join('、')}`, `items: ${['training', ...f.needs].filter((v, i, a) => a.indexOf(v) === i).join(', ')}`)
        : r('needs', false, `${CATEGORY_ZH[cat]}类别不能申请：${bad.join('、')}（可申请 ${allowed.join('、')}）`, `${cat} cannot apply for ${bad.join(', ')} (allowed: ${allowed.join(', ')})`),
    );
  }

  // Evidence: a disability certificate of a matching category, or a hospital diagnosis still valid.
  const certOk = !!f.certificate && knownCat && (f.certificate.category === null || (CERT_COVERS[f.certificate.category] ?? []).includes(cat));
  if (certOk) {
    rules.push(r('evidence', true, `持残疾人证 ${f.certificate!.no.slice(0, 6)}…`, 'holds a disability certificate'));
  } else if (f.diagnosis === null || f.diagnosis === undefined) {
    rules.push(
      f.certificate
        ? r('evidence', false, '残疾人证类别与申请类别不符，且未提供医院诊断', 'the certificate is of another category and no hospital diagnosis was given')
        : r('evidence', false, '须提供残疾人证或医院诊断（医院、日期、类别）', 'a disability certificate or a hospital diagnosis (hospital, date, category) is required'),
    );
  } else if (!validDiagnosis(f.diagnosis)) {
    rules.push(r('evidence', false, '诊断须包含医院、日期（YYYY-MM-DD）和类别', 'the diagnosis needs hospital, date (YYYY-MM-DD) and category'));
  } else if (f.diagnosis.date > f.today) {
    rules.push(r('evidence', false, `诊断日期 ${f.diagnosis.date} 晚于今天`, `diagnosis date ${f.diagnosis.date} is in the future`));
  } else if (knownCat && f.diagnosis.category !== cat) {
    rules.push(r('evidence', false, `诊断类别（${f.diagnosis.category}）与申请类别（${cat}）不符`, `the diagnosis (${f.diagnosis.category}) does not match the category applied for (${cat})`));
  } else {
    const until = diagnosisExpiry(f.diagnosis, f.diagnosisValidYears);
    const years = f.diagnosis.category === 'vision' ? f.diagnosisValidYears.vision : f.diagnosisValidYears.other;
    rules.push(
      f.today <= until
        ? r('evidence', true, `${f.diagnosis.hospital} ${f.diagnosis.date} 诊断，有效至 ${until}`, `diagnosis by ${f.diagnosis.hospital} on ${f.diagnosis.date}, valid until ${until}`)
        : r('evidence', false, `诊断已过期：${f.diagnosis.date} 的诊断有效期 ${years} 年，已于 ${until} 到期，请重新诊断`, `diagnosis expired: made on ${f.diagnosis.date}, valid ${years} year(s), expired after ${until}; a new diagnosis is needed`),
    );
  }

  rules.push(
    f.guardian.name
      ? r('guardian', true, `监护人：${f.guardian.name}${f.guardian.relation ? `（${f.guardian.relation}）` : ''}`, 'guardian on record')
      : r('guardian', false, '须先在人员信息中登记监护人', 'the guardian must be recorded on the person first'),
  );

  const inst = f.institution;
  if (!inst) rules.push(r('institution', false, '须选择定点康复机构（institutionId）', 'choose a designated rehabilitation institution (institutionId)'));
  else if (inst.kind !== 'rehab_institution') rules.push(r('institution', false, `${inst.name} 不是定点康复机构`, `${inst.name} is not a rehabilitation institution`));
  else if (inst.status !== 'active') rules.push(r('institution', false, `${inst.name} 已暂停合作`, `${inst.name} is suspended`));
  else if (!inst.inForce) rules.push(r('institution', false, `${inst.name} 协议不在有效期内`, `${inst.name}: agreement not in force`));
  else if (!f.service || !inst.services.includes(f.service)) rules.push(r('institution', false, `${inst.name} 不提供该类别康复服务（${f.service ?? '—'}）`, `${inst.name} does not offer ${f.service ?? 'this service'}`));
  else rules.push(r('institution', true, `定点康复机构：${inst.name}`, `designated institution: ${inst.name}`));

  const groups = priorityGroupsOf(f.hardship, f.declaredGroups);
  rules.push(
    groups.length > 0
      ? r('priority_group', true, `优先救助对象：${groups.join('、')}`, `priority groups: ${groups.join(', ')}`)
      : f.priorityGroupsOnly
        ? r('priority_group', false, '本地仅救助低保、建档立卡、福利机构儿童、孤儿及其他困难家庭儿童', 'this jurisdiction serves the priority groups only')
        : r('priority_group', true, '非优先救助对象（按普惠政策受理）', 'not in a priority group (served under the general rule)'),
  );

  return { eligible: rules.every((x) => x.ok), rules, priority: childRehabPriority(groups), groups };
}
