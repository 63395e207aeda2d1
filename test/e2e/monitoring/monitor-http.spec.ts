/**
 * The stuck-case monitor over HTTP on the real stack (api + worker, Temporal dev server, Postgres,
 * Redis): a case left past due appears in the monitor with a correct why-stuck line (its task's
 * dates are moved into the past in the read model, since a real time limit is ≥ 1 working day),
 * /cases/:id/why says the same, the categories, summary, workload and bottlenecks, acting on it
 * (nudge, escalate, extend, reassign), and org scope (a township manager sees only the township).
 */
import { Client, Harness, startHarness } from '../../setup/harness';
import { createCampaign, createHospital, createPerson, createTree, shanghaiDay, Tree } from '../../setup/fixtures';
import { openTask, workingDaysAgo } from '../../setup/waits';

let h: Harness;
let tree: Tree;
let other: Tree;
let hospital: string;
let u: Record<string, Client>;

beforeAll(async () => {
  h = await startHarness('monitoring');
  tree = await createTree(h.ds);
  other = await createTree(h.ds);
  hospital = (await createHospital(h.ds, tree.county.code)).id;
  await createCampaign(h.ds, tree.county.code, { registrationStart: shanghaiDay(-30), registrationEnd: shanghaiDay(30), screeningStart: shanghaiDay(-20) });
  u = {
    villagerA: await h.user('village_caseworker', tree.villageA1.code),
    villagerB: await h.user('village_caseworker', tree.villageB1.code),
    townshipA1: await h.user('township_officer', tree.townshipA.code),
    townshipA2: await h.user('township_officer', tree.townshipA.code),
    townshipB: await h.user('township_officer', tree.townshipB.code),
    county: await h.user('county_officer', tree.county.code),
    doctor: await h.user('partner_staff', tree.county.code, hospital),
    manager: await h.user('manager', tree.county.code),
    managerA: await h.user('manager', tree.townshipA.code),
    managerB: await h.user('manager', tree.townshipB.code),
    otherManager: await h.user('manager', other.county.code),
  };
});
afterAll(async () => h?.close());

async function decide(c: Client, caseId: string, step: string, body: any) {
  const t = await openTask(c, caseId, step);
  const r = await c.post(`/cases/${caseId}/tasks/${t.taskId}/decision`, body);
  expect(r.status).toBe(200);
  return t;
}

async function startCase(villager: Client, village: { code: string; path: string }) {
  const p = await createPerson(h.ds, village.code, village.path, { birth: '1950-02-03' });
  const r = await villager.post('/cases', { programme: 'cataract', personId: p.id });
  expect(r.status).toBe(201);
  return r.body as { caseId: string; caseNo: string };
}

/** Moves a task's dates into the past in the read model: opened `open` working days ago, due `overdue` working days ago. */
async function ageTask(taskId: string, open: number, overdue: number) {
  const opened = await workingDaysAgo(h.ds, open);
  const due = await workingDaysAgo(h.ds, overdue);
  await h.ds.query(
    `UPDATE task SET created_at = $2::timestamptz, due_date = $3::date, due_at = ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' - interval '1 millisecond' WHERE id = $1`,
    [taskId, `${opened}T10:00:00+08:00`, due],
  );
  return { opened, due };
}

let caseA: { caseId: string; caseNo: string };
let caseB: { caseId: string; caseNo: string };
let taskA: any;
let dates: { opened: string; due: string };

test('a case left past due is in the monitor with its why-stuck line, and /cases/:id/why says the same', async () => {
  caseA = await startCase(u.villagerA, tree.villageA1);
  caseB = await startCase(u.villagerB, tree.villageB1);
  taskA = await openTask(u.townshipA1, caseA.caseId, 'screening');
  await openTask(u.townshipB, caseB.caseId, 'screening');
  dates = await ageTask(taskA.taskId, 10, 3);
  const expected = `「初筛」待乡镇残联（甲镇）办理，尚未认领；自 ${dates.opened} 起 10 个工作日；已超期 3 个工作日（期限 ${dates.due}）；等待工作人员`;

  const list = await u.manager.get('/monitoring/stuck?category=overdue');
  expect(list.status).toBe(200);
  expect(list.body.items).toHaveLength(1);
  const item = list.body.items[0];
  expect(item).toMatchObject({
    taskId: taskA.taskId, caseId: caseA.caseId, caseNo: caseA.caseNo, programme: 'cataract', step: 'screening',
    assigneeRole: 'township_officer', orgUnitCode: tree.townshipA.code, orgUnitName: '甲镇', assigneeUserId: null,
    since: dates.opened, dueDate: dates.due, workingDaysOpen: 10, workingDaysLeft: -3, overdueWorkingDays: 3, sla: 'overdue', waitingOn: 'staff',
  });
  expect(item.why).toBe(expected);
  expect(item.whyEn).toBe(`screening waits for township_officer at 甲镇, unclaimed, since ${dates.opened} (10 working days); overdue by 3 working days (due ${dates.due}); waiting on staff`);

  const why = await u.manager.get(`/cases/${caseA.caseId}/why`);
  expect(why.status).toBe(200);
  expect(why.body).toMatchObject({ caseId: caseA.caseId, status: 'open', step: 'screening', waitingOn: 'staff', source: 'workflow', why: expected });
  expect(why.body.waits.map((w: any) => w.taskId)).toEqual([taskA.taskId]);
  expect(why.body.readModelLag).toBe(true); // the test moved the read model's due date, not the workflow's

  // a claim shows at once (from the workflow), in the line too
  expect((await u.townshipA1.post(`/cases/${caseA.caseId}/tasks/${taskA.taskId}/claim`)).status).toBe(200);
  const claimed = await u.managerA.get(`/cases/${caseA.caseId}/why`);
  expect(claimed.body.why).toContain('经办人 ');
  expect(claimed.body.waits[0].assigneeUserId).toBe(u.townshipA1.userId);
});

test('categories: no progress for N working days (query or per step), partners not acknowledging, follow-ups overdue', async () => {
  const np = await u.manager.get('/monitoring/stuck?category=no_progress&noProgressDays=5');
  expect(np.body.items.map((i: any) => i.taskId)).toEqual([taskA.taskId]);
  expect((await u.manager.get('/monitoring/stuck?category=no_progress&noProgressDays=screening:11,*:2')).body.items).toEqual([]);
  expect((await u.manager.get('/monitoring/stuck?category=no_progress&noProgressDays=screening:10')).body.items).toHaveLength(1);
  const badDays = await u.manager.get('/monitoring/stuck?category=no_progress&noProgressDays=bad!');
  expect(badDays.status).toBe(400);
  // the validation pipe's English field detail comes after a Chinese summary
  expect(badDays.body.message).toMatch(/^请求内容不符合要求，请检查填写的内容 \/ .*noProgressDays/);

  // case B: screening → hospital choice → pre-op check at the hospital, unclaimed for 3 working days
  await decide(u.townshipB, caseB.caseId, 'screening', { action: 'submit', data: { suitable: true, eye: 'left', uncorrectedAcuity: 0.05 } });
  await decide(u.villagerB, caseB.caseId, 'hospital_choice', { action: 'submit', data: { partnerId: hospital } });
  const preOp = await openTask(u.doctor, caseB.caseId, 'pre_op_check');
  await ageTask(preOp.taskId, 3, -7); // opened 3 working days ago, due in 7
  const partners = await u.manager.get('/monitoring/stuck?category=partner_unacknowledged');
  expect(partners.body.items.map((i: any) => i.taskId)).toEqual([preOp.taskId]);
  expect(partners.body.items[0].why).toMatch(/^「复筛与术前检查」待合作机构「测试医院.{4}」办理，尚未认领；.*3 个工作日；剩余 7 个工作日.*；等待合作机构$/);
  expect((await u.manager.get('/monitoring/stuck?category=partner_unacknowledged&partnerAckDays=4')).body.items).toEqual([]);

  // on to surgery 100 days ago: every follow-up visit is already overdue
  await decide(u.doctor, caseB.caseId, 'pre_op_check', { action: 'submit', data: { fit: true, eye: 'left' } });
  await decide(u.townshipB, caseB.caseId, 'township_verify', { action: 'approve' });
  await decide(u.county, caseB.caseId, 'county_approval', { action: 'approve' });
  await decide(u.doctor, caseB.caseId, 'surgery', { action: 'submit', data: { surgeryDate: shanghaiDay(-100), eye: 'left', lensImplanted: true } });
  let fu: any;
  for (let i = 0; i < 50; i++) {
    fu = await u.manager.get('/monitoring/stuck?category=followup_overdue&limit=2');
    if (fu.body.items.length === 2 && fu.body.nextCursor) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(fu.body.items.map((i: any) => i.step)).toEqual(['followup_day1', 'followup_phone']);
  const page2 = await u.manager.get(`/monitoring/stuck?category=followup_overdue&limit=2&cursor=${fu.body.nextCursor}`);
  expect(page2.body.items.map((i: any) => i.step)).toEqual(['followup_2w', 'followup_3m']);
  expect(page2.body.nextCursor).toBeNull();
  expect(page2.body.items[0].why).toMatch(/^「术后两周随访」待合作机构/);
  // the overdue category leaves follow-ups to their own list
  expect((await u.manager.get('/monitoring/stuck?category=overdue')).body.items.map((i: any) => i.taskId)).toEqual([taskA.taskId]);
});

test('summary (counts, aging buckets, ten oldest), workload and bottlenecks', async () => {
  const s = await u.manager.get('/monitoring/summary');
  expect(s.status).toBe(200);
  expect(s.body.counts).toMatchObject({ overdue: 1, followup_overdue: 4 });
  const screening = s.body.aging.find((a: any) => a.step === 'screening' && a.orgUnitCode === tree.townshipA.code);
  expect(screening).toMatchObject({ programme: 'cataract', open: 1, overdue: 1, oldestWorkingDays: 10 });
  expect(screening.buckets).toEqual({ '0-2': 0, '3-5': 0, '6-10': 1, '11-20': 0, '21+': 0 });
  expect(s.body.oldest[0].taskId).toBe(taskA.taskId);
  expect(s.body.oldest[0].why).toContain('已超期 3 个工作日');

  const w = await u.manager.get('/monitoring/workload');
  const mine = w.body.caseworkers.find((c: any) => c.userId === u.townshipA1.userId);
  expect(mine).toMatchObject({ open: 1, overdue: 1, dueThisWeek: 0 });
  expect(w.body.unclaimed.some((p: any) => p.partnerId === hospital && p.open >= 4)).toBe(true);

  const b = await u.manager.get(`/monitoring/bottlenecks?from=${shanghaiDay(-1)}&to=${shanghaiDay(0)}`);
  expect(b.status).toBe(200);
  const sc = b.body.steps.find((x: any) => x.programme === 'cataract' && x.step === 'screening');
  expect(sc).toMatchObject({ completed: 1, medianWorkingDays: 0, p90WorkingDays: 0, waitingNow: 1 });
  expect(sc.waitingByOrgUnit).toEqual([{ orgUnitCode: tree.townshipA.code, orgUnitName: '甲镇', cases: 1 }]);
  const preop = b.body.steps.find((x: any) => x.step === 'pre_op_check');
  expect(preop.completed).toBe(1);
  expect(preop.medianWorkingDays).toBe(3); // opened 3 working days ago (moved), completed today
  expect(b.body.heatmap.orgUnits.map((o: any) => o.code).sort()).toEqual([tree.townshipA.code, tree.townshipB.code].sort());
});

test('org scope: a township manager sees only the township; another county sees nothing', async () => {
  const a = await u.managerA.get('/monitoring/stuck?category=overdue');
  expect(a.body.items.map((i: any) => i.taskId)).toEqual([taskA.taskId]);
  expect((await u.managerB.get('/monitoring/stuck?category=overdue')).body.items).toEqual([]);
  expect((await u.managerB.get('/monitoring/stuck?category=followup_overdue')).body.items).toHaveLength(4);
  expect((await u.managerA.get('/monitoring/stuck?category=followup_overdue')).body.items).toEqual([]);
  expect((await u.managerB.get(`/cases/${caseA.caseId}/why`)).status).toBe(404);
  const foreignUnit = await u.managerB.get(`/monitoring/summary?orgUnitCode=${tree.townshipA.code}`);
  expect(foreignUnit.status).toBe(404);
  expect(foreignUnit.body.message).toBe(`单位 ${tree.townshipA.code}不存在或不在您的管辖范围内 / org unit ${tree.townshipA.code} not found`);
  expect((await u.managerA.get(`/monitoring/workload?orgUnitCode=${tree.county.code}`)).status).toBe(404);
  const o = await u.otherManager.get('/monitoring/summary');
  expect(o.body.counts).toEqual({ overdue: 0, no_progress: 0, followup_overdue: 0, partner_unacknowledged: 0 });
  expect(o.body.aging).toEqual([]);
  expect((await u.otherManager.get('/monitoring/bottlenecks')).body.steps).toEqual([]);
  const foreignTask = await u.otherManager.post(`/monitoring/tasks/${taskA.taskId}/nudge`, {});
  expect(foreignTask.status).toBe(404);
  expect(foreignTask.body.message).toBe('任务不存在或不在您的管辖范围内 / task not found');
  const malformed = await u.manager.post('/monitoring/tasks/not-a-task/nudge', {});
  expect([malformed.status, malformed.body.message]).toEqual([400, '任务编号格式不正确 / taskId is malformed']);
  expect((await u.townshipA1.get('/monitoring/summary')).status).toBe(403); // not a supervisor role
});

test('acting on it: nudge, escalate, extend (the read model follows), reassign', async () => {
  const n = await u.managerA.post(`/monitoring/tasks/${taskA.taskId}/nudge`, { reason: '请本周内完成' });
  expect(n.status).toBe(200);
  expect((await u.manager.post(`/monitoring/tasks/${taskA.taskId}/escalate`, {})).status).toBe(400); // reason required
  expect((await u.manager.post(`/monitoring/tasks/${taskA.taskId}/escalate`, { reason: '超期督办' })).status).toBe(200);
  expect((await u.manager.post(`/monitoring/tasks/${taskA.taskId}/extend`, { reason: 'x' })).status).toBe(422); // days or date
  const ext = await u.county.post(`/monitoring/tasks/${taskA.taskId}/extend`, { reason: '筛查医院排期', workingDays: 2 });
  expect(ext.status).toBe(200);
  const extended = ext.body.openTasks.find((t: any) => t.taskId === taskA.taskId);
  const [row] = await h.ds.query(`SELECT to_char(due_date, 'YYYY-MM-DD') AS d, overdue, reminded_at, escalated_at FROM task WHERE id = $1`, [taskA.taskId]);
  expect(row.d).toBe(extended.dueDate);
  expect(row.overdue).toBe(false);
  expect(row.reminded_at).not.toBeNull();
  expect(row.escalated_at).not.toBeNull();
  expect((await u.manager.get('/monitoring/stuck?category=overdue')).body.items).toEqual([]);
  // to a given working day: converted to working days after the current due date
  const [{ d: target }] = await h.ds.query(
    `SELECT to_char(min(date), 'YYYY-MM-DD') AS d FROM workday WHERE is_working AND n = (SELECT n FROM workday WHERE date = $1) + 3`,
    [extended.dueDate],
  );
  const byDate = await u.manager.post(`/monitoring/tasks/${taskA.taskId}/extend`, { reason: '再延', dueDate: target });
  expect(byDate.status).toBe(200);
  expect(byDate.body.openTasks.find((t: any) => t.taskId === taskA.taskId).dueDate).toBe(target);
  const types = (await h.ds.query(`SELECT type FROM case_event WHERE task_id = $1 ORDER BY seq`, [taskA.taskId])).map((e: any) => e.type);
  expect(types).toEqual(['task_opened', 'task_claimed', 'task_nudged', 'task_escalated', 'task_due_extended', 'task_due_extended']);
  const why = await u.manager.get(`/cases/${caseA.caseId}/why`);
  expect(why.body.why).toContain(`期限 ${target}`);
  expect(why.body.readModelLag).toBe(false);

  // reassign one task: only to someone of the task's role and area
  const outside = await u.manager.post(`/monitoring/tasks/${taskA.taskId}/reassign`, { toUserId: u.townshipB.userId });
  expect(outside.status).toBe(422);
  expect(outside.body.message).toBe('所选人员的角色或辖区与该任务不符 / the new assignee has the wrong role or scope');
  const nobody = await u.manager.post(`/monitoring/tasks/${taskA.taskId}/reassign`, { toUserId: '00000000-0000-4000-8000-000000000000' });
  expect([nobody.status, nobody.body.message]).toEqual([422, '新的经办人不存在或账号已停用 / the new assignee does not exist or is inactive']);
  const r = await u.manager.post(`/monitoring/tasks/${taskA.taskId}/reassign`, { toUserId: u.townshipA2.userId, reason: '工作调整' });
  expect(r.status).toBe(200);
  expect(r.body.openTasks.find((t: any) => t.taskId === taskA.taskId).assigneeUserId).toBe(u.townshipA2.userId);
  const notManager = await u.county.post(`/monitoring/tasks/${taskA.taskId}/reassign`, { toUserId: u.townshipA1.userId });
  expect(notManager.status).toBe(403); // managers only
  expect(notManager.body.message).toBe('该操作不对角色 county_officer 开放 / this action is not available to the role county_officer');
});
