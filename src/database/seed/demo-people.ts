/**
 * Two hundred fictional residents of the demo villages, generated from a fixed PRNG seed, so every
 * run (and every machine) produces exactly the same people, ids included.
 *
 *  - Resident IDs are valid (GB 11643 check character): region = the county code, the birth date,
 *    a sequence whose last digit is odd for men and even for women.
 *  - Ages: about 70 % born 1940–1965 (the cataract programme's public), 15 % children (born
 *    2012–2025, with a guardian), 15 % working age.
 *  - About 60 % hold a disability certificate: number = resident ID + category + grade, a few
 *    reissued ("B1"); category and grade columns match the number.
 *  - About 30 % carry hardship flags (低保, 特困, 建档立卡, low income, near-低保).
 * Pure module: no I/O.
 */
import type { HardshipFlag } from '../../persons/person.entity';
import { residentIdCheckChar } from '../../domain/identity/resident-id';
import { demoUnitsAt } from './demo-org';
import { demoUuid, prng, type Prng } from './prng';

export const DEMO_PEOPLE_COUNT = 200;
const SEED = 20260301;

export interface DemoPerson {
  id: string;
  residentId: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  phone: string | null;
  hukouOrgCode: string;
  orgPath: string;
  disabilityCertNo: string | null;
  disabilityCategory: number | null;
  disabilityGrade: number | null;
  certReissue: number;
  hardship: HardshipFlag[];
  guardianName: string | null;
  guardianRelation: string | null;
  guardianPhone: string | null;
  group: 'elderly' | 'child' | 'adult';
}

// Surnames with rough frequency weights (common in Sichuan: 廖, 邱, 罗, 何 …).
const SURNAMES: [string, number][] = [
  ['王', 9], ['李', 9], ['张', 8], ['刘', 8], ['陈', 7], ['杨', 6], ['黄', 4], ['赵', 4], ['吴', 3], ['周', 3],
  ['徐', 2], ['孙', 2], ['马', 2], ['朱', 2], ['胡', 3], ['郭', 2], ['何', 3], ['高', 2], ['林', 2], ['罗', 3],
  ['郑', 2], ['梁', 2], ['谢', 2], ['宋', 1], ['唐', 2], ['许', 1], ['韩', 1], ['冯', 1], ['邓', 2], ['曹', 1],
  ['彭', 2], ['曾', 2], ['肖', 2], ['田', 1], ['董', 1], ['袁', 1], ['蒋', 2], ['蔡', 1], ['余', 2], ['杜', 1],
  ['叶', 1], ['程', 1], ['魏', 1], ['苏', 1], ['吕', 1], ['丁', 1], ['任', 1], ['卢', 1], ['姚', 1], ['廖', 2],
  ['邱', 1], ['雷', 1], ['向', 1], ['付', 1],
];
const GIVEN = {
  elderly: {
    M: ['建国', '志强', '国华', '德明', '文才', '春生', '长贵', '永福', '学文', '明清', '家富', '树林', '金山', '德胜', '宝林', '玉成', '光荣', '世才', '开明', '有福', '炳文', '正元', '忠', '贵', '福', '昌'],
    F: ['秀英', '桂兰', '玉兰', '淑珍', '秀兰', '桂英', '凤英', '玉珍', '翠花', '素芳', '兰英', '秀珍', '春梅', '菊香', '美华', '淑芬', '玉梅', '金凤', '素华', '德芳', '琼', '英'],
  },
  adult: {
    M: ['伟', '磊', '强', '军', '涛', '斌', '鹏', '超', '明', '刚', '勇', '杰', '小龙', '海波', '建军', '晓东', '志勇', '文杰'],
    F: ['丽', '芳', '娟', '敏', '静', '燕', '艳', '霞', '玲', '红', '小红', '晓燕', '春燕', '海燕', '丽萍', '雪梅'],
  },
  child: {
    M: ['浩然', '子轩', '宇航', '俊杰', '天佑', '博文', '一鸣', '家豪', '睿', '梓航', '沐阳', '明轩', '皓宇', '嘉懿'],
    F: ['欣怡', '梓萱', '雨桐', '诗涵', '思琪', '佳怡', '若汐', '语嫣', '可馨', '雅琪', '一诺', '芷若', '安琪', '梦瑶'],
  },
};
const PARENT_NAMES = { M: ['志华', '建平', '海军', '小兵', '德勇', '国伟'], F: ['丽华', '春兰', '秀梅', '晓红', '玉芬', '小芳'] };

type Cat = 1 | 2 | 3 | 4 | 5 | 6 | 7;
const CATEGORY_WEIGHTS: Record<DemoPerson['group'], [Cat, number][]> = {
  // Older people: low vision (incl. cataract) and limb disabilities dominate.
  elderly: [[1, 35], [4, 30], [2, 20], [7, 8], [6, 3], [3, 2], [5, 2]],
  // Children: the child-rehabilitation categories (autism is certified as psychiatric, 6).
  child: [[5, 25], [4, 25], [2, 20], [6, 15], [3, 10], [1, 5]],
  adult: [[4, 40], [2, 15], [1, 15], [6, 15], [5, 10], [3, 5]],
};
const GRADE_WEIGHTS: [number, number][] = [[1, 10], [2, 25], [3, 35], [4, 30]];
const HARDSHIP_WEIGHTS: [HardshipFlag, number][] = [['dibao', 40], ['jiandang', 20], ['low_income', 15], ['near_dibao', 15], ['tekun', 10]];

const pad2 = (n: number) => String(n).padStart(2, '0');

function birthDate(r: Prng, fromYear: number, toYear: number): string {
  const y = r.int(fromYear, toYear);
  const m = r.int(1, 12);
  const days = m === 2 ? (y % 4 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  return `${y}-${pad2(m)}-${pad2(r.int(1, days))}`;
}

function phone(r: Prng): string {
  return `1${r.pick(['38', '39', '58', '59', '87', '80', '33', '77', '99'])}${String(r.int(0, 99_999_999)).padStart(8, '0')}`;
}

function generate(): DemoPerson[] {
  const r = prng(SEED);
  const villages = demoUnitsAt('village');
  const usedIds = new Set<string>();
  const out: DemoPerson[] = [];
  for (let i = 0; i < DEMO_PEOPLE_COUNT; i++) {
    const village = villages[i % villages.length];
    const county = village.code.slice(0, 6);
    const roll = r.next();
    const group: DemoPerson['group'] = roll < 0.7 ? 'elderly' : roll < 0.85 ? 'child' : 'adult';
    const sex: 'M' | 'F' = r.chance(group === 'elderly' ? 0.45 : 0.5) ? 'M' : 'F';
    const birth =
      group === 'elderly' ? birthDate(r, 1940, 1965) : group === 'child' ? birthDate(r, 2012, 2025) : birthDate(r, 1970, 2004);

    let residentId: string;
    do {
      const sexDigit = sex === 'M' ? r.pick([1, 3, 5, 7, 9]) : r.pick([0, 2, 4, 6, 8]);
      const first17 = `${county}${birth.replace(/-/g, '')}${pad2(r.int(0, 99))}${sexDigit}`;
      residentId = first17 + residentIdCheckChar(first17);
    } while (usedIds.has(residentId));
    usedIds.add(residentId);

    const surname = r.weighted(SURNAMES);
    const name = surname + r.pick(GIVEN[group][sex]);

    let disabilityCertNo: string | null = null;
    let disabilityCategory: number | null = null;
    let disabilityGrade: number | null = null;
    let certReissue = 0;
    if (r.chance(0.6)) {
      disabilityCategory = r.weighted(CATEGORY_WEIGHTS[group]);
      disabilityGrade = r.weighted(GRADE_WEIGHTS);
      certReissue = r.chance(0.06) ? 1 : 0;
      disabilityCertNo = `${residentId}${disabilityCategory}${disabilityGrade}${certReissue ? `B${certReissue}` : ''}`;
    }

    const hardship: HardshipFlag[] = [];
    if (r.chance(0.3)) {
      const first = r.weighted(HARDSHIP_WEIGHTS);
      hardship.push(first);
      // 特困 support replaces 低保, so it never comes with another flag; 低保 households are often also 建档立卡.
      if (first === 'dibao' && r.chance(0.3)) hardship.push('jiandang');
    }

    let guardianName: string | null = null;
    let guardianRelation: string | null = null;
    let guardianPhone: string | null = null;
    if (group === 'child') {
      const rel = r.weighted([['父亲', 4], ['母亲', 4], ['祖母', 1], ['祖父', 1]] as const);
      const gSex = rel === '父亲' || rel === '祖父' ? 'M' : 'F';
      // The father (and grandfather) shares the child's surname; mother and grandmother get their own.
      guardianName = (gSex === 'M' ? surname : r.weighted(SURNAMES)) + r.pick(PARENT_NAMES[gSex]);
      guardianRelation = rel;
      guardianPhone = phone(r);
    }

    out.push({
      id: demoUuid(`person:${residentId}`),
      residentId,
      name,
      sex,
      birthDate: birth,
      phone: group !== 'child' && r.chance(0.7) ? phone(r) : null,
      hukouOrgCode: village.code,
      orgPath: village.path,
      disabilityCertNo,
      disabilityCategory,
      disabilityGrade,
      certReissue,
      hardship,
      guardianName,
      guardianRelation,
      guardianPhone,
      group,
    });
  }
  return out;
}

/** The demo residents (same list on every call and every machine). */
export const DEMO_PEOPLE: readonly DemoPerson[] = Object.freeze(generate());
