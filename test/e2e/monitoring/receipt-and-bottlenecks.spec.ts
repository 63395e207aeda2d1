/**
 * The receipt date of a paper application (受理日期) and the per-org-unit bottleneck figures, over
 * HTTP on the real stack (api + worker, Temporal dev server, Postgres, Redis):
 *  - POST /cases refuses a receipt date in the future, more than 30 days back or not a date (400,
 *    nothing written); with one 12 working days back, the screening is due 10 working days after
 *    it, overdue at once, and the stuck list and /cases/:id/why count "since" from the receipt
 *    while the task's created_at stays the day it was typed in;
 *  - the bottleneck view gives median and p90 working days per org unit one level below the scope
 *    (townships for a county manager, villages for a township manager) besides the overall figures,
 *    over completed task rows written into the read model with known dates (and a receipt-date clock).
 */
import { randomUUID } from 'node:crypto';
import { Client, Harness, startHarness } from '../../setup/harness';
import { createCampaign, createPerson, createTree, shanghaiDay, Tree } from '../../setup/fixtures';
import { openTask, workingDaysAgo } from '../../setup/waits';

let h: Harness;
let tree: Tree; // completed task rows with known dates (bottlenecks)
let rtree: Tree; // real cases registered with a receipt date
let u: Record<string, Client>;

beforeAll(async () => {
  h = await startHarness('receipt');
  tree = await createTree(h.ds);
  rtree = await createTree(h.ds);
  await createCampaign(h.ds, rtree.county.code, { registrationStart: shanghaiDay(-45), registrationEnd: shanghaiDay(30), screeningStart: shanghaiDay(-40) });
  u = {
    villager: await h.user('village_caseworker', rtree.villageA1.code),
    township: await h.user('township_officer', rtree.townshipA.code),
    rmanager: await h.user('manager', rtree.county.code),
    manager: await h.user('manager', tree.county.code),
    managerA: await h.user('manager', tree.townshipA.code),
  };
});
afterAll(async () => h?.close());

test('a receipt date in the future, more than 30 days back or not a date is refused with the reason; nothing is written', async () => {
  const p = await createPerson(h.ds, rtree.villageA1.code, rtree.villageA1.path, { birth: '1950-02-03' });
  const cases = [
    [shanghaiDay(1), /不能晚于今天.*in the future/],
    [shanghaiDay(-31), /最多可追溯 30 天.*at most 30 days back/],
    ['2026-02-30', /有效日期.*real date/],
    ['yesterday', /有效日期.*real date/],
  ] as const;
  for (const [receivedAt, reason] of cases) {
    const r = await u.villager.post('/cases', { programme: 'cataract', personId: p.id, receivedAt });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(reason);
  }
  expect((await h.ds.query(`SELECT count(*)::int AS n FROM case_file WHERE person_id = $1`, [p.id]))[0].n).toBe(0);
  // 30 days back is the limit, accepted
  const ok = await u.villager.post('/cases', { programme: 'cataract', personId: p.id, receivedAt: shanghaiDay(-30) });
  expect(ok.status).toBe(201);
  expect(ok.body.receivedAt).toBe(shanghaiDay(-30));
});

test('received 12 working days ago: screening due 10 working days after the receipt, overdue; the monitor counts since the receipt', async () => {
  const received = await workingDaysAgo(h.ds, 12);
  const due = await workingDaysAgo(h.ds, 2);
  const p = await createPerson(h.ds, rtree.villageA2.code, rtree.villageA2.path, { birth: '1948-06-07' });
  const villager = await h.user('village_caseworker', rtree.villageA2.code);
  const r = await villager.post('/cases', { programme: 'cataract', personId: p.id, receivedAt: received });
  expect(r.status).toBe(201);
  const t = await openTask(u.township, r.body.caseId, 'screening');
  expect(t.dueDate).toBe(due);
  const [row] = await h.ds.query(
    `SELECT to_char(clock_start_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS clock, to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS created FROM task WHERE id = $1`,
    [t.taskId],
  );
  expect(row).toEqual({ clock: `${received} 00:00`, created: shanghaiDay(0) }); // created_at stays the day it was typed in

  // escalated at once (its due date had passed when it was typed in)
  let types: string[] = [];
  for (let i = 0; i < 50 && !types.includes('task_escalated'); i++) {
    types = (await h.ds.query(`SELECT type FROM case_event WHERE task_id = $1 ORDER BY seq`, [t.taskId])).map((e: any) => e.type);
    if (!types.includes('task_escalated')) await new Promise((res) => setTimeout(res, 100));
  }
  expect(types).toEqual(['task_opened', 'task_escalated']);

  const expected = `「初筛」待乡镇残联（甲镇）办理，尚未认领；自 ${received} 起 12 个工作日；已超期 2 个工作日（期限 ${due}）；等待工作人员；已上报督办`; // escalated at once
  let item: any;
  for (let i = 0; i < 50 && !item; i++) {
    item = (await u.rmanager.get('/monitoring/stuck?category=overdue')).body.items.find((x: any) => x.taskId === t.taskId);
    if (!item) await new Promise((res) => setTimeout(res, 100));
  }
  expect(item).toMatchObject({ since: received, workingDaysOpen: 12, overdueWorkingDays: 2, sla: 'overdue', dueDate: due });
  expect(item.why).toBe(expected);
  expect(item.createdAt.slice(0, 10) >= shanghaiDay(-1)).toBe(true);
  const why = await u.rmanager.get(`/cases/${r.body.caseId}/why`);
  expect(why.body.why).toBe(expected);
  // no progress for 12 working days (it was typed in today): listed from the receipt
  const np = await u.rmanager.get('/monitoring/stuck?category=no_progress&noProgressDays=11');
  expect(np.body.items.map((x: any) => x.taskId)).toContain(t.taskId);
  expect((await u.rmanager.get('/monitoring/stuck?category=no_progress&noProgressDays=13')).body.items.map((x: any) => x.taskId)).not.toContain(t.taskId);
  const s = await u.rmanager.get('/monitoring/summary');
  expect(s.body.oldest.find((x: any) => x.taskId === t.taskId)).toMatchObject({ since: received, workingDaysOpen: 12 });
  expect(s.body.oldest[0].since <= received).toBe(true); // oldest first, by when the clock started

  // The time spent at screening counts from the receipt too: 12 working days.
  const done = await u.township.post(`/cases/${r.body.caseId}/tasks/${t.taskId}/decision`, { action: 'submit', data: { suitable: true, eye: 'left', uncorrectedAcuity: 0.05 } });
  expect(done.status).toBe(200);
  const b = await u.rmanager.get(`/monitoring/bottlenecks?from=${shanghaiDay(0)}&to=${shanghaiDay(0)}`);
  const sc = b.body.steps.find((x: any) => x.step === 'screening');
  expect(sc).toMatchObject({ completed: 1, medianWorkingDays: 12, p90WorkingDays: 12 });
  expect(sc.durationByOrgUnit).toEqual([{ orgUnitCode: rtree.townshipA.code, orgUnitName: '甲镇', completed: 1, medianWorkingDays: 12, p90WorkingDays: 12, meanWorkingDays: 12 }]);

  // Without a receipt date the clock starts when the task opens (as before).
  const p2 = await createPerson(h.ds, rtree.villageA1.code, rtree.villageA1.path, { birth: '1951-03-04' });
  const r2 = await u.villager.post('/cases', { programme: 'cataract', personId: p2.id });
  const t2 = await openTask(u.township, r2.body.caseId, 'screening');
  const [[row2], [{ d: due2 }]] = await Promise.all([
    h.ds.query(`SELECT clock_start_at FROM task WHERE id = $1`, [t2.taskId]),
    h.ds.query(`SELECT to_char(min(date), 'YYYY-MM-DD') AS d FROM workday WHERE is_working AND n = (SELECT n FROM workday WHERE date = $1) + 10`, [shanghaiDay(0)]),
  ]);
  expect(row2.clock_start_at).toBeNull();
  expect(t2.dueDate).toBe(due2);
});

/** A case in the read model with one completed task at `step`: clock started `days` working days before today, completed today. */
async function completedTask(village: { code: string; path: string }, step: string, days: number, opts: { receiptClock?: boolean } = {}) {
  const person = await createPerson(h.ds, village.code, village.path, { birth: '1949-01-02' });
  const caseId = randomUUID();
  await h.ds.query(
    `INSERT INTO case_file (id, case_no, programme, person_id, org_unit_code, org_path, status, step, waiting_on, workflow_id, rule_version, data, projected_seq, opened_at)
     VALUES ($1, $2, 'cataract', $3, $4, $5, 'open', 'hospital_choice', 'staff', $6, 'test', '{}', 0, now())`,
    [caseId, `BT-${caseId.slice(0, 8)}`, person.id, village.code, village.path, `case-${caseId}`],
  );
  const start = `${await workingDaysAgo(h.ds, days)}T10:00:00+08:00`;
  // With a receipt-date clock the task itself was opened yesterday at the earliest (typed in late).
  const created = opts.receiptClock ? `${await workingDaysAgo(h.ds, Math.min(1, days))}T10:00:00+08:00` : start;
  const township = village.path.split('/').filter(Boolean)[2];
  await h.ds.query(
    `INSERT INTO task (id, case_id, programme, step, kind, status, assignee_role, org_unit_code, org_path, due_at, due_date, created_at, completed_at, clock_start_at)
     VALUES ($1, $2, 'cataract', $3, 'record', 'completed', 'township_officer', $4, $5, now() + interval '10 days', (now() + interval '10 days')::date, $6, $7, $8)`,
    [`${caseId}-t2`, caseId, step, township, village.path.split('/').slice(0, 4).join('/') + '/', created, `${shanghaiDay(0)}T11:00:00+08:00`, opts.receiptClock ? start : null],
  );
}

test('the no-progress list is oldest first by when the clock started, across keyset pages (a late-typed old application first)', async () => {
  const villager = await h.user('village_caseworker', rtree.villageA2.code);
  const register = async (receivedAt: string, birth: string) => {
    const p = await createPerson(h.ds, rtree.villageA2.code, rtree.villageA2.path, { birth });
    const r = await villager.post('/cases', { programme: 'cataract', personId: p.id, receivedAt });
    expect(r.status).toBe(201);
    return (await openTask(u.township, r.body.caseId, 'screening')).taskId as string;
  };
  const recent = await register(await workingDaysAgo(h.ds, 3), '1946-01-02'); // typed in first, received 3 working days ago
  const old = await register(await workingDaysAgo(h.ds, 15), '1946-03-04'); // typed in second, received 15 working days ago
  const seen: any[] = [];
  let cursor: string | null = null;
  do {
    const res = await u.rmanager.get(`/monitoring/stuck?category=no_progress&noProgressDays=2&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(1);
    seen.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor && seen.length < 50);
  const ids = seen.map((x) => x.taskId);
  expect(ids).toContain(recent);
  expect(ids.indexOf(old)).toBeLessThan(ids.indexOf(recent)); // by created_at it came after
  expect(new Set(ids).size).toBe(ids.length); // no task twice across pages
  const clocks = seen.map((x) => x.clockStartAt);
  expect(clocks).toEqual([...clocks].sort());
});

test('bottlenecks: median and p90 working days per org unit one level below the scope, besides the overall figures', async () => {
  // 甲镇 (two villages): 2, 4, 10 working days; 乙镇: 1, 3 and 6 (6 counted from a receipt date, typed in yesterday).
  await completedTask(tree.villageA1, 'screening', 2);
  await completedTask(tree.villageA1, 'screening', 4);
  await completedTask(tree.villageA2, 'screening', 10);
  await completedTask(tree.villageB1, 'screening', 1);
  await completedTask(tree.villageB1, 'screening', 3);
  await completedTask(tree.villageB1, 'screening', 6, { receiptClock: true });
  await completedTask(tree.villageA1, 'hospital_choice', 5);

  const b = await u.manager.get(`/monitoring/bottlenecks?from=${shanghaiDay(-1)}&to=${shanghaiDay(0)}`);
  expect(b.status).toBe(200);
  const sc = b.body.steps.find((x: any) => x.programme === 'cataract' && x.step === 'screening');
  // overall 1, 2, 3, 4, 6, 10: median 3.5; p90 at rank 4.5 → 6 + 0.5 × 4 = 8
  expect(sc).toMatchObject({ completed: 6, medianWorkingDays: 3.5, p90WorkingDays: 8, waitingNow: 0 });
  expect(sc.durationByOrgUnit).toEqual([
    // 2, 4, 10: median 4; p90 at rank 1.8 → 4 + 0.8 × 6 = 8.8
    { orgUnitCode: tree.townshipA.code, orgUnitName: '甲镇', completed: 3, medianWorkingDays: 4, p90WorkingDays: 8.8, meanWorkingDays: 5.33 },
    // 1, 3, 6: median 3; p90 at rank 1.8 → 3 + 0.8 × 3 = 5.4
    { orgUnitCode: tree.townshipB.code, orgUnitName: '乙镇', completed: 3, medianWorkingDays: 3, p90WorkingDays: 5.4, meanWorkingDays: 3.33 },
  ]);
  const hc = b.body.steps.find((x: any) => x.step === 'hospital_choice');
  expect(hc).toMatchObject({ completed: 1, medianWorkingDays: 5, p90WorkingDays: 5 });
  expect(hc.durationByOrgUnit).toEqual([{ orgUnitCode: tree.townshipA.code, orgUnitName: '甲镇', completed: 1, medianWorkingDays: 5, p90WorkingDays: 5, meanWorkingDays: 5 }]);
  // the heatmap's duration cells and its rows
  expect(b.body.heatmap.durationCells).toEqual([
    { programme: 'cataract', step: 'hospital_choice', orgUnitCode: tree.townshipA.code, completed: 1, medianWorkingDays: 5, p90WorkingDays: 5 },
    { programme: 'cataract', step: 'screening', orgUnitCode: tree.townshipA.code, completed: 3, medianWorkingDays: 4, p90WorkingDays: 8.8 },
    { programme: 'cataract', step: 'screening', orgUnitCode: tree.townshipB.code, completed: 3, medianWorkingDays: 3, p90WorkingDays: 5.4 },
  ]);
  expect(b.body.heatmap.orgUnits.map((o: any) => o.code)).toEqual([tree.townshipA.code, tree.townshipB.code]);
  expect(b.body.heatmap.cells).toEqual([]);

  // A township manager: the villages of the township; a period before the completions: nothing.
  const a = await u.managerA.get(`/monitoring/bottlenecks?from=${shanghaiDay(-1)}&to=${shanghaiDay(0)}`);
  const asc = a.body.steps.find((x: any) => x.step === 'screening');
  expect(asc).toMatchObject({ completed: 3, medianWorkingDays: 4, p90WorkingDays: 8.8 });
  expect(asc.durationByOrgUnit.map((x: any) => [x.orgUnitCode, x.completed, x.medianWorkingDays, x.p90WorkingDays])).toEqual([
    [tree.villageA1.code, 2, 3, 3.8],
    [tree.villageA2.code, 1, 10, 10],
  ]);
  // The county manager may choose the township as the level (its villages), the same figures.
  const chosen = await u.manager.get(`/monitoring/bottlenecks?orgUnitCode=${tree.townshipA.code}&from=${shanghaiDay(-1)}&to=${shanghaiDay(0)}`);
  expect(chosen.body.steps.find((x: any) => x.step === 'screening').durationByOrgUnit).toEqual(asc.durationByOrgUnit);
  const before = await u.manager.get(`/monitoring/bottlenecks?from=${shanghaiDay(-10)}&to=${shanghaiDay(-2)}`);
  expect(before.body.steps).toEqual([]);
});
