/**
 * The demo accounts printed by the local run command (scripts/dev.mjs imports the built file and
 * reads DEMO_ACCOUNTS and DEMO_PASSWORD). One walk through the demo: 东湖县 → 青石镇 → 上湾村 and
 * the county's partners. Every other account follows the same scheme (see DEMO_STAFF in
 * demo-org.ts): `<unit pinyin>.<role>[n]`, e.g. taoyuan.officer1, baisha.caseworker, xishan.officer2.
 *
 * 东湖县's child rehabilitation runs on a compressed training calendar (see demo-child-cases.ts):
 * the rehab institution's label and DEMO_NOTES say so, and why.
 *
 * DEMO ONLY: one shared, published password. `seed` (demo data) must never run against a
 * production database; production uses `seed-reference` and real accounts.
 */
import { DEMO_COMPRESSED_CALENDAR, DEMO_COMPRESSED_COUNTY } from './demo-child-cases';
import { DEMO_STAFF, demoUnit } from './demo-org';

export const DEMO_PASSWORD = 'Demo@2026';

const SHOWN = [
  'shifan.manager',
  'shifan.admin',
  'donghu.manager',
  'donghu.officer1',
  'donghu.officer2',
  'donghu.civil',
  'qingshi.officer1',
  'qingshi.officer2',
  'shangwan.caseworker',
  'donghu.hospital1',
  'donghu.hospital2',
  'donghu.hospital3',
  'donghu.rehab',
  'donghu.training',
  'donghu.employer',
  'donghu.supplier',
];

const MINUTES = DEMO_COMPRESSED_CALENDAR.monthSeconds / 60;
const COMPRESSED = demoUnit(DEMO_COMPRESSED_COUNTY);

/** What the printed account finds to do, where the plain role label would not tell (zh, en). */
const NOTES: Record<string, [string, string]> = {
  'donghu.rehab': [
    `${COMPRESSED.name}儿童康复按压缩培训日历运行（1个月=${MINUTES}分钟）：入学评估随时可做，约${MINUTES}分钟后出现月度进展，随后结业评估和结算`,
    `${COMPRESSED.nameEn} child rehab runs on a compressed training calendar (1 month = ${MINUTES} min): intake now, monthly progress in ~${MINUTES} min, then end assessment and bill`,
  ],
  'shangwan.caseworker': ['有一条培训就业12个月回访待入户记录', 'has a 12-month job-retention visit to record'],
};

export const DEMO_ACCOUNTS: { username: string; label: string }[] = SHOWN.map((username) => {
  const s = DEMO_STAFF.find((x) => x.username === username);
  if (!s) throw new Error(`demo account ${username} is not defined`);
  const note = NOTES[username];
  if (!note) return { username, label: s.label };
  const [zh, en] = s.label.split(' / ');
  return { username, label: `${zh}；${note[0]} / ${en}; ${note[1]}` };
});

/** Printed under the account list: why one county's child rehabilitation runs on minutes. */
export const DEMO_NOTES: string[] = [
  `${COMPRESSED.name}的残疾儿童康复救助按压缩培训日历运行（1个月=${MINUTES}分钟，1个服务年度=${DEMO_COMPRESSED_CALENDAR.yearSeconds / 60}分钟），仅用于演示：该项目按服务年度内的整月计训练，12月起真实日历已无完整月份，康复机构要到次年1月才有入学评估。西山县及其他项目按真实日历。`,
  `${COMPRESSED.nameEn}'s child rehabilitation runs on a compressed training calendar (1 month = ${MINUTES} min, a service year = ${DEMO_COMPRESSED_CALENDAR.yearSeconds / 60} min), for the demo only: the programme counts training in whole months of the service year, so on the real calendar from 1 December the institution would have no intake until January. Xishan County and every other programme run on the real calendar.`,
];
