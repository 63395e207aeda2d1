/**
 * The codes of the child-rehabilitation and training programmes the forms offer, with their
 * bilingual labels. The code lists are imported from the workflows (the same constants the
 * server's validators use), so a form cannot offer a value the workflow would refuse.
 */
import type { RehabCategory, RehabItem } from '../../workflows/contracts/child-rehab';
import { ITEMS_BY_CATEGORY, REHAB_CATEGORIES, REHAB_SERVICE } from '../../workflows/programs/child-rehab/eligibility';
import { CERTIFICATE_LEVELS, COURSE_TYPES, EDUCATION, PLACEMENT_CHANNELS, type Education } from '../../workflows/programs/training/steps';
import type { Lang } from './i18n';

export { CERTIFICATE_LEVELS, COURSE_TYPES, EDUCATION, PLACEMENT_CHANNELS };

// The category data is pure (workflows/programs/child-rehab/eligibility.ts); the contract module
// itself also defines Temporal signals, so only its types are imported here.
export { ITEMS_BY_CATEGORY, REHAB_CATEGORIES, REHAB_SERVICE };
export type { Education, RehabCategory, RehabItem };

type Pair = [zh: string, en: string];
const table =
  <K extends string>(t: Record<K, Pair>) =>
  (lang: Lang, code: string | null | undefined): string => {
    if (!code) return '—';
    const p = (t as Record<string, Pair>)[code];
    return p ? (lang === 'en' ? p[1] : p[0]) : code;
  };

export const PROGRAMME_IDS = ['cataract', 'child_rehab', 'training'] as const;
export type ProgrammeId = (typeof PROGRAMME_IDS)[number];

/** Who may register a case of each programme (src/cases/programmes/*.adapter.ts registrarRoles). */
export const REGISTRARS: Record<ProgrammeId, string[]> = {
  cataract: ['village_caseworker', 'township_officer', 'county_officer'],
  child_rehab: ['village_caseworker', 'township_officer', 'county_officer'],
  training: ['village_caseworker', 'township_officer'],
};

export const rehabCategoryLabel = table<RehabCategory>({
  vision: ['视力', 'vision'],
  hearing: ['听力', 'hearing'],
  speech: ['言语', 'speech'],
  limb: ['肢体', 'limb (physical)'],
  intellectual: ['智力', 'intellectual'],
  autism: ['孤独症', 'autism'],
});


export const rehabItemLabel = table<RehabItem>({
  training: ['康复训练', 'rehabilitation training'],
  hearing_aid: ['助听器', 'hearing aid'],
  cochlear_implant: ['人工耳蜗', 'cochlear implant'],
  cochlear_surgery: ['人工耳蜗植入手术', 'cochlear implant surgery'],
  limb_surgery: ['肢体矫治手术', 'limb corrective surgery'],
  low_vision_aid: ['助视器', 'low-vision aid'],
});

export const DECLARED_GROUPS = ['orphan', 'welfare_institution'] as const;
export const priorityGroupLabel = table({
  orphan: ['孤儿', 'orphan'],
  welfare_institution: ['福利机构儿童', 'child in a welfare institution'],
  dibao: ['低保家庭', 'minimum living allowance'],
  jiandang: ['建档立卡', 'registered poor household'],
  other_hardship: ['其他困难家庭', 'other hardship'],
});

export const educationLabel = table<Education>({
  none: ['未上学', 'no schooling'],
  primary: ['小学', 'primary'],
  junior_secondary: ['初中', 'junior secondary'],
  senior_secondary: ['高中', 'senior secondary'],
  vocational: ['中专/职高', 'vocational secondary'],
  college: ['大专', 'college'],
  bachelor: ['本科', 'bachelor'],
  postgraduate: ['研究生', 'postgraduate'],
});

export const courseTypeLabel = table({
  employment_skills: ['就业技能', 'employment skills'],
  rural_practical: ['农村实用技术', 'rural practical skills'],
  entrepreneurship: ['创业培训', 'entrepreneurship'],
  ecommerce: ['电子商务', 'e-commerce'],
  blind_massage: ['盲人按摩', 'massage (blind trainees)'],
  other: ['其他', 'other'],
});

export const certificateLevelLabel = table({
  special: ['专项能力证书', 'special skill'],
  level5: ['五级/初级工', 'level 5 / junior'],
  level4: ['四级/中级工', 'level 4 / intermediate'],
  level3: ['三级/高级工', 'level 3 / senior'],
  level2: ['二级/技师', 'level 2 / technician'],
  level1: ['一级/高级技师', 'level 1 / senior technician'],
});

export const placementChannelLabel = table({
  quota_employer: ['按比例安排就业（用人单位）', 'quota employer'],
  public_welfare: ['公益性岗位', 'public-welfare post'],
  self_employment: ['自主创业扶持', 'self-employment support'],
  none: ['暂无法安置', 'no placement possible'],
});
