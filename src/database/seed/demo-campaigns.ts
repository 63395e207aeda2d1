/**
 * Cataract campaigns (光明行) of the demo counties. Unlike the rest of the demo these depend on
 * the date, so the demo always has a campaign open for registration, however long a local
 * database lives:
 *  - past:    the spring round before the current one (registration closed, screening done);
 *  - current: registration from today−60 to today+30 days, screening rolling since today−30
 *             (so newly registered cases go straight to screening);
 *  - next:    next spring (registration February–March, screening from April 8), so the
 *             "late registrants wait for the next campaign" rule has somewhere to go.
 * Each kind is inserted only when the county has no such campaign yet, with an id derived from
 * its dates: a second run on the same day changes nothing; a run after the current window has
 * closed adds a fresh current round (and its next spring), leaving history intact.
 */
import type { EntityManager } from 'typeorm';
import { demoUnitsAt } from './demo-org';
import { addDays, demoUuid } from './prng';

export interface CampaignPlan {
  kind: 'past' | 'current' | 'next';
  id: string;
  name: string;
  orgUnitCode: string;
  registrationStart: string;
  registrationEnd: string;
  screeningStart: string;
}

function season(day: string): string {
  const m = Number(day.slice(5, 7));
  return m >= 2 && m <= 4 ? '春季' : m >= 5 && m <= 7 ? '夏季' : m >= 8 && m <= 10 ? '秋季' : '冬季';
}

/** What the three campaigns of a county would be if they were created today. */
export function planCampaigns(countyCode: string, countyName: string, today: string): CampaignPlan[] {
  const plan = (kind: CampaignPlan['kind'], registrationStart: string, registrationEnd: string, screeningStart: string): CampaignPlan => {
    const year = registrationStart.slice(0, 4);
    return {
      kind,
      id: demoUuid(`campaign:cataract:${countyCode}:${registrationStart}:${registrationEnd}`),
      name: `${year}年${season(registrationStart)}光明行白内障复明 · ${countyName}`,
      orgUnitCode: countyCode,
      registrationStart,
      registrationEnd,
      screeningStart,
    };
  };
  const currentStart = addDays(today, -60);
  const current = plan('current', currentStart, addDays(today, 30), addDays(today, -30));
  // The last spring round that closed before the current one opened.
  let pastYear = Number(currentStart.slice(0, 4));
  if (`${pastYear}-04-30` >= currentStart) pastYear -= 1;
  const past = plan('past', `${pastYear}-03-01`, `${pastYear}-04-30`, `${pastYear}-04-20`);
  const nextYear = Number(current.registrationEnd.slice(0, 4)) + 1;
  const next = plan('next', `${nextYear}-02-01`, `${nextYear}-03-31`, `${nextYear}-04-08`);
  return [past, current, next];
}

/** Inserts whatever campaign kind a demo county lacks on `today` (YYYY-MM-DD, Asia/Shanghai). */
export async function seedDemoCampaigns(m: EntityManager, today: string): Promise<number> {
  let inserted = 0;
  for (const county of demoUnitsAt('county')) {
    const existing: { registration_start: string; registration_end: string }[] = await m.query(
      `SELECT to_char(registration_start, 'YYYY-MM-DD') AS registration_start, to_char(registration_end, 'YYYY-MM-DD') AS registration_end
       FROM campaign WHERE programme = 'cataract' AND org_unit_code = $1`,
      [county.code],
    );
    const has = {
      past: existing.some((c) => c.registration_end < today),
      current: existing.some((c) => c.registration_start <= today && today <= c.registration_end),
      next: existing.some((c) => c.registration_start > today),
    };
    for (const c of planCampaigns(county.code, county.name, today)) {
      if (has[c.kind]) continue;
      const rows: unknown[] = await m.query(
        `INSERT INTO campaign (id, programme, name, org_unit_code, registration_start, registration_end, screening_start)
         VALUES ($1, 'cataract', $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
        [c.id, c.name, c.orgUnitCode, c.registrationStart, c.registrationEnd, c.screeningStart],
      );
      inserted += rows.length;
    }
  }
  return inserted;
}
