import type { ProgrammeFigures } from './types';

/**
 * Figures any programme has, used for a programme that has no figure file of its own yet:
 * people registered, cases registered, completed, closed otherwise, open at year end.
 */
export function genericFigures(programme: string, label = programme): ProgrammeFigures {
  return {
    programme,
    label,
    labelEn: programme,
    base: `
      SELECT c.id AS case_id, c.case_no, c.person_id, c.org_unit_code, c.status, c.outcome, c.opened_at, c.closed_at
      FROM case_file c
      WHERE c.programme = '${programme.replace(/[^a-z0-9_-]/gi, '')}' AND c.org_path LIKE $1
        AND c.opened_at < $3 AND (c.closed_at IS NULL OR c.closed_at >= $2)`,
    figures: [
      { key: 'served', label: '登记服务人数', labelEn: 'People registered', unit: '人', kind: 'people', where: `b.opened_at >= $2 AND b.opened_at < $3`, date: 'b.opened_at' },
      { key: 'registered', label: '登记立案', labelEn: 'Cases registered', unit: '例', kind: 'cases', where: `b.opened_at >= $2 AND b.opened_at < $3`, date: 'b.opened_at' },
      { key: 'completed', label: '办结', labelEn: 'Completed', unit: '例', kind: 'cases', where: `b.outcome = 'completed' AND b.closed_at >= $2 AND b.closed_at < $3`, date: 'b.closed_at' },
      { key: 'closed_other', label: '其他结案', labelEn: 'Closed otherwise', unit: '例', kind: 'cases', where: `b.outcome IS DISTINCT FROM 'completed' AND b.closed_at >= $2 AND b.closed_at < $3`, date: 'b.closed_at' },
      { key: 'open_at_year_end', label: '年末在办', labelEn: 'Open at year end', unit: '例', kind: 'cases', where: `b.closed_at IS NULL OR b.closed_at >= $3`, date: 'b.opened_at' },
    ],
  };
}
