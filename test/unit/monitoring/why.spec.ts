/** The why-stuck line builder and the pure helpers of the monitor. */
import { WorkingDayCalendar } from '../../../src/domain/calendar/working-days';
import { parseDaysSpec, rulesFromSettings } from '../../../src/monitoring/monitoring.service';
import { idleCaseLine, slaState, WaitFacts, whyStuckLine } from '../../../src/monitoring/why';
import { workdayRows } from '../../../src/monitoring/workday.service';
import { reportCsv, EXPORT_HEADERS } from '../../../src/reports/export';

const base: WaitFacts = {
  step: 'township_verify',
  kind: 'approval',
  role: 'township_officer',
  orgUnitCode: '360121101',
  orgUnitName: '甲镇',
  assigneeUserId: null,
  since: '2026-03-02',
  workingDaysOpen: 8,
  dueDate: '2026-03-09',
  workingDaysLeft: -3,
  overdue: true,
  waitingOn: 'staff',
};

describe('whyStuckLine', () => {
  test('overdue, unclaimed, staff: step, role, unit, since, open days, overdue days, waiting on', () => {
    const l = whyStuckLine(base);
    expect(l.sla).toBe('overdue');
    expect(l.overdueWorkingDays).toBe(3);
    expect(l.zh).toBe('「乡镇审核」待乡镇残联（甲镇）办理，尚未认领；自 2026-03-02 起 8 个工作日；已超期 3 个工作日（期限 2026-03-09）；等待工作人员');
    expect(l.en).toBe('township_verify waits for township_officer at 甲镇, unclaimed, since 2026-03-02 (8 working days); overdue by 3 working days (due 2026-03-09); waiting on staff');
  });

  test('claimed, days left, singular forms', () => {
    const l = whyStuckLine({ ...base, assigneeUserId: 'u1', assigneeName: '王芳', workingDaysOpen: 1, workingDaysLeft: 1, overdue: false });
    expect(l.sla).toBe('on_time');
    expect(l.overdueWorkingDays).toBe(0);
    expect(l.zh).toContain('经办人 王芳');
    expect(l.zh).toContain('剩余 1 个工作日（期限 2026-03-09）');
    expect(l.en).toContain('held by 王芳, since 2026-03-02 (1 working day); 1 working day left (due 2026-03-09)');
  });

  test('due today; overdue on a day off right after the due date', () => {
    expect(whyStuckLine({ ...base, workingDaysLeft: 0, overdue: false }).zh).toContain('今日到期（2026-03-09）');
    const weekend = whyStuckLine({ ...base, workingDaysLeft: 0, overdue: true });
    expect(weekend.sla).toBe('overdue');
    expect(weekend.overdueWorkingDays).toBe(0);
    expect(weekend.zh).toContain('已超期（期限 2026-03-09）');
    expect(slaState({ overdue: false, workingDaysLeft: 4 })).toBe('on_time');
  });

  test('partner task, escalated, supplement and unknown steps', () => {
    const l = whyStuckLine({ ...base, step: 'surgery', role: 'partner_staff', partnerId: 'p1', partnerName: '市眼科医院', waitingOn: 'partner', escalatedAt: '2026-03-10T00:00:00Z' });
    expect(l.zh).toBe('「手术」待合作机构「市眼科医院」办理，尚未认领；自 2026-03-02 起 8 个工作日；已超期 3 个工作日（期限 2026-03-09）；等待合作机构；已上报督办');
    expect(l.en).toContain('surgery waits for partner 市眼科医院, unclaimed');
    expect(l.en).toMatch(/waiting on partner; escalated$/);
    expect(whyStuckLine({ ...base, step: 'township_verify_supplement' }).zh).toMatch(/^「乡镇审核（补充材料）」/);
    expect(whyStuckLine({ ...base, step: 'rehab_intake', orgUnitName: null }).zh).toMatch(/^「rehab_intake」待乡镇残联（360121101）/);
    expect(whyStuckLine({ ...base, waitingOn: 'resident' }).zh).toMatch(/等待居民\/申请人$/);
  });

  test('a case with no open task', () => {
    expect(idleCaseLine({ status: 'closed', step: 'confirmation', outcome: 'completed', closedAt: '2026-05-01', waitingOn: 'none' }).zh).toBe('已结案（completed，2026-05-01）');
    expect(idleCaseLine({ status: 'open', step: 'awaiting_campaign', waitingOn: 'timer', until: '2026-09-01' }).en).toBe('awaiting_campaign waits for a date (2026-09-01); no open task');
  });
});

describe('working-day table rows', () => {
  test('n is the running count of working days, so n(b) − n(a) = working days in (a, b]', () => {
    const cal = new WorkingDayCalendar();
    const rows = workdayRows(cal, 2025, 2026);
    expect(rows.dates[0]).toBe('2025-01-01');
    expect(rows.dates.at(-1)).toBe('2026-12-31');
    expect(rows.dates).toHaveLength(365 + 365);
    const n = new Map(rows.dates.map((d, i) => [d, rows.n[i]]));
    for (const [a, b] of [['2025-09-26', '2025-10-13'], ['2026-01-30', '2026-02-27'], ['2025-12-31', '2026-01-05']]) {
      expect(n.get(b)! - n.get(a)!).toBe(cal.workingDaysBetween(a, b));
    }
    // National Day 2025: 1–8 October off, Saturday 11 October a make-up workday
    const i = rows.dates.indexOf('2025-10-01');
    expect(rows.working.slice(i, i + 8)).toEqual([false, false, false, false, false, false, false, false]);
    expect(rows.working[rows.dates.indexOf('2025-10-11')]).toBe(true);
  });
});

describe('no-progress configuration', () => {
  test('query parameter: one number for all steps, or per step with a default', () => {
    expect(parseDaysSpec(undefined)).toBeNull();
    expect(parseDaysSpec('7')).toEqual([{ programme: '*', step: '*', days: 7 }]);
    expect(parseDaysSpec('screening:3,*:10')).toEqual([
      { programme: '*', step: 'screening', days: 3 },
      { programme: '*', step: '*', days: 10 },
    ]);
  });
  test('settings.rules.noProgressDays: a number or a per-step map', () => {
    expect(rulesFromSettings('cataract', 4)).toEqual([{ programme: 'cataract', step: '*', days: 4 }]);
    expect(rulesFromSettings('cataract', { surgery: 15, screening: 'x' })).toEqual([{ programme: 'cataract', step: 'surgery', days: 15 }]);
    expect(rulesFromSettings('cataract', undefined)).toEqual([]);
  });
});

describe('CSV export', () => {
  test('BOM, Chinese headers, one row per figure, quoting', () => {
    const csv = reportCsv({
      year: 2026,
      orgUnit: { code: '360121', name: '测试县, 东', level: 'county' },
      generatedAt: '2026-12-31T00:00:00.000Z',
      programmes: [{ programme: 'cataract', label: '白内障复明', labelEn: 'Cataract', figures: [
        { id: 'cataract.surgeries', key: 'surgeries', label: '白内障复明手术', labelEn: 'Surgeries', unit: '例', kind: 'cases', value: 3, cases: 3 },
        { id: 'cataract.iol_rate', key: 'iol_rate', label: '人工晶体植入率', labelEn: 'IOL', unit: '%', kind: 'rate', value: 66.7, cases: 3, numerator: 2, denominator: 3, note: '目标 ≥90%' },
      ] }],
    });
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(EXPORT_HEADERS.join(','));
    expect(lines[1]).toBe('2026,360121,"测试县, 东",白内障复明,白内障复明手术,3,例,3,,,cataract.surgeries,');
    expect(lines[2]).toBe('2026,360121,"测试县, 东",白内障复明,人工晶体植入率,66.7,%,3,2,3,cataract.iol_rate,目标 ≥90%');
  });
});
