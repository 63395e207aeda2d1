/**
 * The demo jurisdiction, as pure data: a fictional city 示范市 (code 519900) with two counties,
 * three townships each and three villages per township, the designated partners of each county,
 * and one staff account for every role at every level.
 *
 * The division codes look official (6/6/9/12 digits, towns 1xx, rural townships 2xx, villages 2xx)
 * but sit in an unused range of province 51, so they never collide with real data nor with the
 * test fixtures (which create trees under '31xxxx'…'37xxxx'). Nothing here does I/O; the inserts are in
 * seed/index.ts.
 */
import type { OrgLevel } from '../../orgs/org-unit.entity';
import type { PartnerKind } from '../../orgs/partner.entity';
import type { Role } from '../../auth/staff-user.entity';
import { demoUuid } from './prng';

export const DEMO_CITY_CODE = '519900';
export const DEMO_CITY_PATH = `/${DEMO_CITY_CODE}/`;

export interface DemoUnit {
  code: string;
  name: string;
  nameEn: string;
  /** Lower-case pinyin, used in usernames (unique across the demo). */
  slug: string;
  level: OrgLevel;
  parentCode: string | null;
  path: string;
}

interface VillageDef { name: string; en: string }
interface TownshipDef { suffix: string; name: string; en: string; villages: [VillageDef, VillageDef, VillageDef] }
interface CountyDef { code: string; name: string; en: string; townships: [TownshipDef, TownshipDef, TownshipDef] }

const CITY = { code: DEMO_CITY_CODE, name: '示范市', en: 'Shifan City', slug: 'shifan' };

const COUNTIES: CountyDef[] = [
  {
    code: '519901',
    name: '东湖县',
    en: 'Donghu County',
    townships: [
      { suffix: '101', name: '青石镇', en: 'Qingshi Town', villages: [{ name: '上湾村', en: 'Shangwan' }, { name: '柳树村', en: 'Liushu' }, { name: '新田村', en: 'Xintian' }] },
      { suffix: '102', name: '桃源镇', en: 'Taoyuan Town', villages: [{ name: '杏花村', en: 'Xinghua' }, { name: '大坪村', en: 'Daping' }, { name: '龙井村', en: 'Longjing' }] },
      { suffix: '201', name: '河口乡', en: 'Hekou Township', villages: [{ name: '白沙村', en: 'Baisha' }, { name: '双桥村', en: 'Shuangqiao' }, { name: '枫林村', en: 'Fenglin' }] },
    ],
  },
  {
    code: '519902',
    name: '西山县',
    en: 'Xishan County',
    townships: [
      { suffix: '101', name: '松岭镇', en: 'Songling Town', villages: [{ name: '松林村', en: 'Songlin' }, { name: '高峰村', en: 'Gaofeng' }, { name: '回龙村', en: 'Huilong' }] },
      { suffix: '102', name: '云溪镇', en: 'Yunxi Town', villages: [{ name: '清水村', en: 'Qingshui' }, { name: '竹园村', en: 'Zhuyuan' }, { name: '金塘村', en: 'Jintang' }] },
      { suffix: '201', name: '石门乡', en: 'Shimen Township', villages: [{ name: '石桥村', en: 'Shiqiao' }, { name: '茶山村', en: 'Chashan' }, { name: '红岩村', en: 'Hongyan' }] },
    ],
  },
];

const slugOf = (en: string) => en.split(' ')[0].toLowerCase();

function buildUnits(): DemoUnit[] {
  const units: DemoUnit[] = [
    { code: CITY.code, name: CITY.name, nameEn: CITY.en, slug: CITY.slug, level: 'city', parentCode: null, path: DEMO_CITY_PATH },
  ];
  for (const c of COUNTIES) {
    const cPath = `${DEMO_CITY_PATH}${c.code}/`;
    units.push({ code: c.code, name: c.name, nameEn: c.en, slug: slugOf(c.en), level: 'county', parentCode: CITY.code, path: cPath });
    for (const t of c.townships) {
      const tCode = `${c.code}${t.suffix}`;
      const tPath = `${cPath}${tCode}/`;
      units.push({ code: tCode, name: t.name, nameEn: t.en, slug: slugOf(t.en), level: 'township', parentCode: c.code, path: tPath });
      t.villages.forEach((v, i) => {
        const vCode = `${tCode}${201 + i}`;
        units.push({ code: vCode, name: v.name, nameEn: `${v.en} Village`, slug: v.en.toLowerCase(), level: 'village', parentCode: tCode, path: `${tPath}${vCode}/` });
      });
    }
  }
  return units;
}

/** City, 2 counties, 6 townships, 18 villages, parents before children. */
export const DEMO_UNITS: readonly DemoUnit[] = Object.freeze(buildUnits());
export const demoUnit = (code: string): DemoUnit => {
  const u = DEMO_UNITS.find((x) => x.code === code);
  if (!u) throw new Error(`no demo org unit ${code}`);
  return u;
};
export const demoUnitsAt = (level: OrgLevel) => DEMO_UNITS.filter((u) => u.level === level);

// ---- partners ----------------------------------------------------------------------------------

export interface DemoPartner {
  id: string;
  /** Username stem, e.g. 'donghu.hospital1'. */
  key: string;
  name: string;
  kind: PartnerKind;
  orgUnitCode: string;
  services: string[];
  capacity: number | null;
  agreementStart: string;
  agreementEnd: string;
  status: 'active' | 'suspended';
  labelEn: string;
  /** What the printed demo account should warn about, in Chinese (the English is in labelEn). */
  noteZh?: string;
}

const CATARACT_SERVICES = ['cataract_screening', 'cataract_surgery'];

function buildPartners(): DemoPartner[] {
  const out: DemoPartner[] = [];
  for (const c of COUNTIES) {
    const s = slugOf(c.en);
    const short = c.name.slice(0, 2); // 东湖 / 西山
    const p = (suffix: string, d: Omit<DemoPartner, 'id' | 'key' | 'orgUnitCode'>) =>
      out.push({ id: demoUuid(`partner:${c.code}:${suffix}`), key: `${s}.${suffix}`, orgUnitCode: c.code, ...d });
    p('hospital1', {
      name: `${c.name}人民医院`, kind: 'hospital', services: CATARACT_SERVICES, capacity: 40,
      agreementStart: '2025-01-01', agreementEnd: '2027-12-31', status: 'active', labelEn: 'designated hospital (40 places)',
    });
    p('hospital2', {
      name: `${c.name}中医医院`, kind: 'hospital', services: CATARACT_SERVICES, capacity: 3,
      agreementStart: '2025-07-01', agreementEnd: '2027-06-30', status: 'active', labelEn: 'designated hospital (3 places, nearly full)',
    });
    p('hospital3', {
      name: `${short}明视眼科医院`, kind: 'hospital', services: CATARACT_SERVICES, capacity: 20,
      agreementStart: '2025-01-01', agreementEnd: '2026-12-31', status: 'suspended', labelEn: 'eye hospital, agreement suspended',
    });
    p('rehab', {
      name: `${c.name}残疾人康复中心`, kind: 'rehab_institution', services: ['child_rehab_training', 'autism_training', 'hearing_rehab'], capacity: 60,
      agreementStart: '2025-01-01', agreementEnd: '2027-12-31', status: 'active', labelEn: 'designated rehabilitation institution',
    });
    p('training', {
      name: `${c.name}职业技能培训学校`, kind: 'training_institution', services: ['vocational_training', 'blind_massage_training', 'ecommerce_training'], capacity: 80,
      agreementStart: '2025-03-01', agreementEnd: '2027-12-31', status: 'active', labelEn: 'training institution',
    });
    p('employer', {
      name: `${short}${c.code === '519901' ? '湖鲜食品' : '山泉茶业'}有限公司`, kind: 'employer', services: ['job_placement'], capacity: 12,
      agreementStart: '2025-01-01', agreementEnd: '2027-12-31', status: 'active', labelEn: 'quota-scheme employer',
    });
    p('supplier', {
      name: `${short}康辅器具有限公司`, kind: 'supplier', services: ['assistive_devices', 'device_fitting'], capacity: null,
      agreementStart: '2026-01-01', agreementEnd: '2027-12-31', status: 'active', labelEn: 'assistive-device supplier (no programme refers cases to suppliers yet)', noteZh: '暂无项目向辅具供应商转介',
    });
  }
  return out;
}

/** Per county: 3 hospitals (40 places, 3 places, suspended), rehab, training, employer, supplier. */
export const DEMO_PARTNERS: readonly DemoPartner[] = Object.freeze(buildPartners());

// ---- staff -------------------------------------------------------------------------------------

export interface DemoStaff {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  orgUnitCode: string;
  partnerId: string | null;
  /** zh · en, for the account list printed by the local run command. */
  label: string;
}

// Staff display names: fixed, so they read naturally in timelines (no PRNG needed).
const STAFF_NAMES = [
  '周建华', '吴晓梅', '郑国平', '王丽娟', '冯志刚', '陈雪芳', '邓明远', '梁红霞', '蒋德文', '沈秀兰',
  '韩立新', '杨春燕', '朱海涛', '秦玉洁', '罗振东', '许静怡', '何文斌', '吕小琴', '施永强', '张慧敏',
  '孔庆生', '曹彩云', '严俊峰', '华美玲', '金国栋', '魏淑芬', '陶志明', '姜丽萍', '覃长林', '谢晓燕',
  '邹建军', '喻红梅', '段正清', '田晓东', '钟春兰', '章立军', '熊海燕', '苏志坚', '潘玉珍', '葛文涛',
  '程丽华', '范永生', '彭小红', '郎志勇', '鲁秀芳', '韦建平', '黎雪梅', '马德胜', '苗丽君', '孟志强',
  '邵春梅', '方国庆', '俞晓丽', '任建新', '袁淑华', '柳德明', '龚晓霞', '鲍志军', '史美华', '唐国强',
  '费丽娜', '廖永红', '康建忠', '薛小燕', '雷志华', '贺玉兰', '倪国华', '汤晓明', '滕秀英', '殷建伟',
];

function buildStaff(): DemoStaff[] {
  const out: DemoStaff[] = [];
  let n = 0;
  const add = (username: string, role: Role, orgUnitCode: string, zh: string, en: string, partnerId: string | null = null) =>
    out.push({ id: demoUuid(`staff:${username}`), username, displayName: STAFF_NAMES[n++ % STAFF_NAMES.length], role, orgUnitCode, partnerId, label: `${zh} / ${en}` });

  const city = demoUnit(DEMO_CITY_CODE);
  add(`${city.slug}.manager`, 'manager', city.code, `市残联负责人 · ${city.name}`, 'city manager (monitors, reassigns)');
  add(`${city.slug}.admin`, 'admin', city.code, `系统管理员 · ${city.name}`, 'system administrator');
  for (const county of demoUnitsAt('county')) {
    const s = county.slug;
    add(`${s}.officer1`, 'county_officer', county.code, `县残联干部 · ${county.name}`, 'county officer (approval, settlement)');
    add(`${s}.officer2`, 'county_officer', county.code, `县残联干部（第二审批人） · ${county.name}`, 'second county officer (four-eyes)');
    add(`${s}.civil`, 'civil_affairs_officer', county.code, `县民政局（查阅个案；暂无由民政办理的环节） · ${county.name}`, 'county civil affairs officer (reads cases; no step is theirs yet)');
    add(`${s}.manager`, 'manager', county.code, `县残联负责人 · ${county.name}`, 'county manager');
    for (const p of DEMO_PARTNERS.filter((x) => x.orgUnitCode === county.code)) {
      add(p.key, 'partner_staff', county.code, `合作机构${p.noteZh ? `（${p.noteZh}）` : ''} · ${p.name}`, `partner staff, ${p.labelEn}`, p.id);
    }
  }
  for (const t of demoUnitsAt('township')) {
    add(`${t.slug}.officer1`, 'township_officer', t.code, `乡镇残联专干 · ${t.name}`, 'township officer');
    add(`${t.slug}.officer2`, 'township_officer', t.code, `乡镇残联专干（第二人） · ${t.name}`, 'second township officer');
  }
  for (const v of demoUnitsAt('village')) {
    add(`${v.slug}.caseworker`, 'village_caseworker', v.code, `村专职委员 · ${v.name}`, 'village caseworker');
  }
  return out;
}

/**
 * Every demo account. Username scheme: `<unit or county pinyin>.<role>[n]`, e.g.
 * shifan.manager, donghu.officer1, qingshi.officer2, shangwan.caseworker, donghu.hospital1.
 */
export const DEMO_STAFF: readonly DemoStaff[] = Object.freeze(buildStaff());
export const demoStaff = (username: string): DemoStaff => {
  const s = DEMO_STAFF.find((x) => x.username === username);
  if (!s) throw new Error(`no demo account ${username}`);
  return s;
};
