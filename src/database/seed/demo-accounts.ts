/**
 * The demo accounts printed by the local run command (scripts/dev.mjs imports the built file and
 * reads DEMO_ACCOUNTS and DEMO_PASSWORD). One walk through the demo: 东湖县 → 青石镇 → 上湾村 and
 * the county's partners. Every other account follows the same scheme (see DEMO_STAFF in
 * demo-org.ts): `<unit pinyin>.<role>[n]`, e.g. taoyuan.officer1, baisha.caseworker, xishan.officer2.
 *
 * DEMO ONLY: one shared, published password. `seed` (demo data) must never run against a
 * production database; production uses `seed-reference` and real accounts.
 */
import { DEMO_STAFF } from './demo-org';

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

export const DEMO_ACCOUNTS: { username: string; label: string }[] = SHOWN.map((username) => {
  const s = DEMO_STAFF.find((x) => x.username === username);
  if (!s) throw new Error(`demo account ${username} is not defined`);
  return { username, label: s.label };
});
