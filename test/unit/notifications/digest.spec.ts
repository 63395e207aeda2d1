import { WorkingDayCalendar } from '../../../src/domain/calendar/working-days';
import { digestDay, newlyAssignedSince, planDigests, TaskRow } from '../../../src/notifications/digest';

const cal = new WorkingDayCalendar();
const tick = (date: string) => digestDay(cal, new Date(`${date}T08:30:00+08:00`));

test('the digest goes out on an ordinary working day', () => {
  expect(tick('2026-11-23')).toMatchObject({ date: '2026-11-23', send: true }); // Monday
});

test('not at the weekend or on a public holiday (National Day week)', () => {
  expect(tick('2026-11-21')).toMatchObject({ send: false, reason: 'weekend' });
  for (const d of ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-07']) {
    expect(tick(d)).toMatchObject({ date: d, send: false });
    expect(tick(d).reason).toMatch(/holiday/);
  }
});

test('but on a make-up Saturday (调休) it does', () => {
  expect(tick('2026-10-10')).toMatchObject({ date: '2026-10-10', send: true, reason: 'makeup-workday 国庆节' });
  expect(tick('2026-09-20')).toMatchObject({ send: true }); // Sunday worked before National Day
});

test('admin overrides count (a local holiday, an extra working Saturday)', () => {
  const local = new WorkingDayCalendar({ overrides: [{ date: '2026-11-24', kind: 'holiday', name: '县庆' }, { date: '2026-11-28', kind: 'workday' }] });
  expect(digestDay(local, new Date('2026-11-24T08:30:00+08:00'))).toMatchObject({ send: false });
  expect(digestDay(local, new Date('2026-11-28T08:30:00+08:00'))).toMatchObject({ send: true });
});

test('the day is the Shanghai date of the tick: 00:30 UTC is 08:30 in Shanghai', () => {
  expect(digestDay(cal, new Date('2026-11-23T00:30:00Z')).date).toBe('2026-11-23');
});

test('"newly assigned" counts from the previous working day’s digest', () => {
  expect(newlyAssignedSince(cal, '2026-11-23').toISOString()).toBe(new Date('2026-11-20T08:30:00+08:00').toISOString()); // Monday ← Friday
  expect(newlyAssignedSince(cal, '2026-10-08').toISOString()).toBe(new Date('2026-09-30T08:30:00+08:00').toISOString()); // first day after the holiday week
  expect(newlyAssignedSince(cal, '2026-10-10').toISOString()).toBe(new Date('2026-10-09T08:30:00+08:00').toISOString()); // make-up Saturday
});

test('who sees which task: own, claimable in role and area, partner pool, managers their area', () => {
  const t = (id: string, o: Partial<TaskRow>): TaskRow => ({ id, case_id: `c-${id}`, case_no: `CAT-${id}`, step: 'screening', due_date: '2026-10-10', role: 'township_officer', org_path: '/36/3601/360101/', partner_id: null, assignee_user_id: null, ...o });
  const tasks = [
    t('own', { assignee_user_id: 'u1', due_date: '2026-10-09' }),
    t('pool', {}),
    t('otherTownship', { org_path: '/36/3601/360102/' }),
    t('county', { role: 'county_officer', org_path: '/36/3601/' }),
    t('hospital', { role: 'partner_staff', partner_id: 'h1', org_path: '/36/3601/' }),
  ];
  const staff = [
    { id: 'u1', role: 'township_officer', partner_id: null, path: '/36/3601/360101/' },
    { id: 'u2', role: 'township_officer', partner_id: null, path: '/36/3601/360102/' },
    { id: 'doc', role: 'partner_staff', partner_id: 'h1', path: '/36/3601/' },
    { id: 'boss', role: 'manager', partner_id: null, path: '/36/3601/' },
  ];
  const plans = planDigests(staff, tasks, [{ user_id: 'u2', task: t('new', { due_date: '2026-10-20' }) }], '2026-10-10', 'https://x');
  const ids = (u: string, k: 'dueToday' | 'overdue' | 'newlyAssigned') => plans.get(u)![k].map((i) => i.taskId);
  expect(ids('u1', 'overdue')).toEqual(['own']);
  expect(ids('u1', 'dueToday')).toEqual(['pool']);
  expect(ids('u2', 'dueToday')).toEqual(['otherTownship']);
  expect(ids('u2', 'newlyAssigned')).toEqual(['new']);
  expect(ids('doc', 'dueToday')).toEqual(['hospital']);
  expect(ids('boss', 'dueToday').sort()).toEqual(['county', 'hospital', 'otherTownship', 'pool']);
  expect(plans.get('u1')!.dueToday[0].link).toBe('https://x/app/cases/c-pool');
});
