/**
 * Child rescue rehabilitation on the time-skipping test server, with the real activities on
 * Postgres and Redis: two years of training to ageing out (continue-as-new per year, renewal with
 * a new diagnosis), a waitlist woken by a freed place (Signal), a switch of institution mid-year,
 * a return + rejection and a resubmission, a bill over the approved amount, out-of-area treatment
 * reimbursed to the family at the home area's rate, monthly billing, and an expired diagnosis. Each test first moves the server clock to 20 February of a new year, so the months
 * left in the service year do not depend on the day the suite runs.
 */
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createActivities } from '../../activities';
import { createDataSource } from '../../src/database/data-source';
import { NOTIFICATION_QUEUE } from '../../src/queues/redis';
import {
  Actor,
  caseViewQuery,
  CaseView,
  caseWorkflowId,
  checkChildRehabEligibility,
  CHILD_REHAB_DEFAULTS,
  CHILD_REHAB_RULES_VERSION,
  type ChildRehabCaseInput,
  type ChildRehabFacts,
  switchInstitutionUpdate,
  taskActionUpdate,
  TaskActionInput,
} from '../../workflows/contracts';
import { createPerson, createStaff, createTree, Tree } from '../setup/fixtures';
import { registerCaseSearchAttributes } from '../setup/search-attributes';
import { requireDatabase, testServerExecutable } from '../setup/services';

const TQ = 'child-rehab-test';
const DAY = 86_400_000;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let ds: DataSource;
let queue: Queue;
let tree: Tree;
const inst: Record<string, { id: string; name: string; orgPath: string }> = {};
const actors: Record<string, Actor> = {};

async function createInstitution(key: string, services: string[], capacity: number | null) {
  const id = randomUUID();
  const name = `测试康复中心${key}-${id.slice(0, 4)}`;
  await ds.query(
    `INSERT INTO partner (id, name, kind, org_unit_code, services, capacity, agreement_start, agreement_end, status)
     VALUES ($1,$2,'rehab_institution',$3,$4,$5,'2020-01-01','2099-12-31','active')`,
    [id, name, tree.county.code, services, capacity],
  );
  inst[key] = { id, name, orgPath: tree.county.path };
}

beforeAll(async () => {
  const { databaseUrl, redisUrl } = requireDatabase();
  ds = createDataSource(databaseUrl, 4);
  await ds.initialize();
  queue = new Queue(NOTIFICATION_QUEUE, { connection: { url: redisUrl } });
  tree = await createTree(ds);
  await createInstitution('A', ['rehab_hearing', 'rehab_limb', 'rehab_autism', 'rehab_speech'], null);
  await createInstitution('B', ['rehab_limb', 'rehab_autism'], 20);
  await createInstitution('C', ['rehab_autism'], 1); // one place: the next autistic child waits
  const mk = async (key: string, role: string, unit: { code: string; path: string }, partnerId?: string) => {
    const u = await createStaff(ds, { role, orgUnitCode: unit.code, partnerId, name: key });
    actors[key] = { id: u.id, name: key, role, orgPath: unit.path, partnerId: partnerId ?? null };
  };
  await mk('villager', 'village_caseworker', tree.villageA1);
  await mk('county1', 'county_officer', tree.county);
  await mk('county2', 'county_officer', tree.county);
  await mk('staffA', 'partner_staff', tree.county, inst.A.id);
  await mk('staffB', 'partner_staff', tree.county, inst.B.id);
  await mk('staffC', 'partner_staff', tree.county, inst.C.id);

  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable() } });
  await registerCaseSearchAttributes(env.connection, env.namespace ?? 'default');
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TQ,
    workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
    activities: createActivities({ ds, notifications: queue }),
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await queue?.close();
  await ds?.destroy();
});

// ---- helpers -------------------------------------------------------------------------------------

const shanghaiYear = (ms: number) => new Date(ms + 8 * 3_600_000).getUTCFullYear();

/** Moves the server clock to 20 February of the next year (Asia/Shanghai) and returns that year. */
async function freshYear(): Promise<number> {
  const y = shanghaiYear(await env.currentTimeMs()) + 1;
  const target = Date.parse(`${y}-02-20T09:00:00+08:00`);
  // In steps of at most 30 days (one long skip can outlast the client's keep-alive).
  for (let now = await env.currentTimeMs(); now < target; now = await env.currentTimeMs()) {
    await env.sleep(Math.min(30 * DAY, target - now));
  }
  return y;
}


async function child(birth: string) {
  return createPerson(ds, tree.villageA1.code, tree.villageA1.path, { birth });
}

function input(personId: string, birthDate: string, year: number, over: Partial<ChildRehabCaseInput['application']> = {}, settings = CHILD_REHAB_DEFAULTS): ChildRehabCaseInput {
  const caseId = randomUUID();
  return {
    caseId,
    caseNo: `CHR-T-${caseId.slice(0, 8)}`,
    personId,
    orgUnitCode: tree.villageA1.code,
    orgPath: tree.villageA1.path,
    birthDate,
    year,
    application: {
      category: 'hearing',
      needs: [],
      certificateNo: null,
      diagnosis: { hospital: '省儿童医院', date: `${year}-01-10`, category: 'hearing' },
      institution: inst.A,
      priorityGroups: [],
      guardian: { name: '王丽华', relation: '母亲', phone: '13800000000' },
      agent: null,
      residence: 'hukou',
      ...over,
    },
    priority: 0,
    settings,
    openedBy: actors.villager,
  };
}

async function start(inp: ChildRehabCaseInput) {
  const first = await env.client.workflow.start('childRehabCaseWorkflow', { args: [inp], taskQueue: TQ, workflowId: caseWorkflowId(inp.caseId) });
  return { h: env.client.workflow.getHandle(caseWorkflowId(inp.caseId)), firstRunId: first.firstExecutionRunId, caseId: inp.caseId };
}
type Handle = ReturnType<TestWorkflowEnvironment['client']['workflow']['getHandle']>;

async function view(h: Handle): Promise<CaseView> {
  for (let i = 0; ; i++) {
    try {
      return await h.query(caseViewQuery);
    } catch (e) {
      if (i > 20) throw e; // a run in the middle of continuing as new
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The open task of `step`, letting time pass (days at a time) until the workflow opens it. */
async function task(h: Handle, step: string, maxDays = 400) {
  let skipped = 0;
  for (let i = 0; ; i++) {
    const v = await view(h);
    const t = v.openTasks.find((x) => x.step === step);
    if (t) return t;
    if (v.status === 'closed') throw new Error(`case closed (${v.outcome}) while waiting for ${step}`);
    if (i < 10) {
      await new Promise((r) => setTimeout(r, 50)); // activities in flight first
      continue;
    }
    if (skipped > maxDays) throw new Error(`no open task ${step} after ${maxDays} days (at ${v.step})`);
    await env.sleep(3 * DAY);
    skipped += 3;
  }
}

async function act(h: Handle, step: string, who: Actor, action: TaskActionInput['action'], extra: Partial<TaskActionInput> = {}) {
  const t = await task(h, step);
  return h.executeUpdate(taskActionUpdate, { args: [{ taskId: t.taskId, action, actor: who, ...extra }] });
}

async function refusal(p: Promise<unknown>): Promise<{ type: string; message: string }> {
  try {
    await p;
  } catch (err: any) {
    const c = err?.cause ?? err;
    return { type: c?.type ?? String(err), message: c?.message ?? '' };
  }
  throw new Error('expected a refusal');
}

async function events(caseId: string): Promise<{ seq: number; type: string; reason: string | null; data: any }[]> {
  return ds.query(`SELECT seq, type, reason, data FROM case_event WHERE case_id = $1 ORDER BY seq`, [caseId]);
}

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Terminates a case once it is idle: the time-skipping server keeps time locked for an activity
 * that was in flight when its workflow was terminated, so a later env.sleep would wait in real time.
 */
async function stop(h: Handle) {
  const caseId = h.workflowId.replace(/^case-/, '');
  await waitFor(async () => {
    const v = await view(h);
    const [r] = await ds.query(`SELECT projected_seq FROM case_file WHERE id = $1`, [caseId]);
    return r && r.projected_seq >= v.seq;
  });
  await new Promise((r) => setTimeout(r, 500)); // the notifications enqueued after the projection
  await h.terminate('test done');
}

/** Intake → every planned month's progress record → end assessment, as the institution's staff. */
async function trainYear(h: Handle, staff: Actor, effective: boolean, months?: number) {
  await task(h, 'intake_assessment');
  const max = ((await view(h)).data.period as { maxMonths: number }).maxMonths;
  const planned = months ?? max;
  await act(h, 'intake_assessment', staff, 'submit', { data: { assessedOn: '2000-01-01', goals: ['听觉识别', '语言理解'], plannedMonths: planned } });
  for (let m = 1; m <= planned; m++) {
    await act(h, 'progress', staff, 'submit', { data: { attendanceDays: 18 + (m % 4), goals: `第${m}月：目标达成良好` } });
  }
  await act(h, 'end_assessment', staff, 'submit', { data: { assessedOn: '2000-12-01', effective } });
  return { max, planned };
}

/** With RECORD_HISTORIES=1 (npm run record:histories) the histories are saved for the replay gate. */
async function record(h: Handle, name: string, runId?: string) {
  if (!process.env.RECORD_HISTORIES) return;
  const handle = runId ? env.client.workflow.getHandle(h.workflowId, runId) : h;
  const history = await handle.fetchHistory();
  writeFileSync(join(__dirname, '..', 'replay', 'histories', `child-rehab-${name}.json`), historyToJSON(history));
}

// ---- tests ----------------------------------------------------------------------------------------

test('a hearing-impaired child: two years of training, a renewal with a new diagnosis, aged out', async () => {
  const y = await freshYear();
  const birth = `${y - 6}-06-01`; // 5 on 1 Jan of year 1, 6 in year 2, 7 in year 3: ages out
  const p = await child(birth);
  // The diagnosis (hearing: valid 3 years) runs out before the second year: the renewal needs a new one.
  const inp = input(p.id, birth, y, { needs: ['hearing_aid'], diagnosis: { hospital: '省儿童医院', date: `${y - 3}-06-01`, category: 'hearing' } });
  const { h, firstRunId, caseId } = await start(inp);

  const review = await task(h, 'county_review');
  expect(review.assigneeRole).toBe('county_officer');
  expect(review.orgUnitCode).toBe(tree.county.code);
  await act(h, 'county_review', actors.county1, 'approve');
  const y1 = await trainYear(h, actors.staffA, true);
  expect(y1.max).toBe(10); // from 20 February: ten months fit, and ten is the yearly maximum

  // The institution bills the period; a hearing aid was approved too.
  let v = await view(h);
  expect(v.data.budget).toEqual({ training: 15000, hearing_aid: 6000 });
  await act(h, 'bill', actors.staffA, 'submit', { data: { amount: 12000, invoiceNo: 'INV-1' } });
  await act(h, 'settlement_check', actors.county2, 'approve');
  v = await view(h);
  expect(v.data.paid).toEqual({ training: 12000 });

  // Renewal before the year ends: the expiring diagnosis must be replaced.
  const noDiag = await refusal(act(h, 'renewal', actors.villager, 'submit', { data: { continue: true } }));
  expect(noDiag.type).toBe('INVALID_DECISION');
  expect(noDiag.message).toMatch(/^请提供新的听力诊断.* \/ diagnosis/);
  const stale = await refusal(act(h, 'renewal', actors.villager, 'submit', { data: { continue: true, diagnosis: { hospital: '省儿童医院', date: `${y - 3}-12-01`, category: 'hearing' } } }));
  expect(stale.message).toMatch(/的诊断于 \S+ 到期，早于 \d+ 年 \/ the diagnosis of .* expires/);
  await act(h, 'renewal', actors.villager, 'submit', { data: { continue: true, diagnosis: { hospital: '省儿童医院', date: `${y}-11-15`, category: 'hearing' } } });
  await act(h, 'county_review', actors.county1, 'approve');

  // Year 2: a new run (continue-as-new), the same case, the same place.
  await task(h, 'intake_assessment');
  const run2 = (await h.describe()).runId;
  expect(run2).not.toBe(firstRunId);
  v = await view(h);
  expect(v.data.year).toBe(y + 1);
  expect(v.data.yearsServed).toEqual([{ year: y, institutions: [inst.A.name], months: 10, effective: true, paid: 12000 }]);
  const y2 = await trainYear(h, actors.staffA, false);
  expect(y2.planned).toBe(10);
  await act(h, 'bill', actors.staffA, 'submit', { data: { amount: 15000, invoiceNo: 'INV-3' } });
  await act(h, 'settlement_check', actors.county2, 'approve');
  // No renewal: the child is 7 on 1 January of year 3. The case closes at the year's end.
  expect(await h.result()).toEqual({ outcome: 'aged_out' });
  await record(h, 'aged-out-year1', firstRunId);
  await record(h, 'aged-out-year2', run2);

  const [row] = await ds.query(`SELECT status, outcome, partner_id, data FROM case_file WHERE id = $1`, [caseId]);
  expect(row).toMatchObject({ status: 'closed', outcome: 'aged_out', partner_id: null });
  expect(row.data.outcomeSummary).toEqual({ years: 2, months: 20, effectiveYears: 1, paid: 27000 });
  const agreements = await ds.query(`SELECT year, status, months, effective, end_reason FROM rehab_agreement WHERE case_id = $1 ORDER BY year`, [caseId]);
  expect(agreements).toEqual([
    { year: y, status: 'ended', months: 10, effective: true, end_reason: 'year_end' },
    { year: y + 1, status: 'ended', months: 10, effective: false, end_reason: 'case_closed' },
  ]);
  const pay = await ds.query(`SELECT year, item, amount::float AS amount, payee_kind FROM payment WHERE case_id = $1 ORDER BY year`, [caseId]);
  expect(pay).toEqual([
    { year: y, item: 'training', amount: 12000, payee_kind: 'institution' },
    { year: y + 1, item: 'training', amount: 15000, payee_kind: 'institution' },
  ]);
  // One timeline across both runs: sequence numbers continue, task ids never repeat.
  const ev = await events(caseId);
  expect(ev.every((e, i) => i === 0 || e.seq > ev[i - 1].seq)).toBe(true); // task ids take numbers from the same counter
  expect(ev.map((e) => e.type)).toEqual(expect.arrayContaining(['case_opened', 'placed', 'period_assessed', 'payment_recorded', 'renewal_approved', 'year_closed', 'year_started', 'case_closed']));
  const [{ n, d }] = await ds.query(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM task WHERE case_id = $1`, [caseId]);
  expect(n).toBe(d);
  const open = await ds.query(`SELECT count(*)::int AS n FROM task WHERE case_id = $1 AND status = 'open'`, [caseId]);
  expect(open[0].n).toBe(0);
}, 600_000);

test('an autistic child waits for a full institution until another child’s agreement ends (Signal placeFreed)', async () => {
  const y = await freshYear();
  const birth = `${y - 4}-03-03`;
  const first = await start(input((await child(birth)).id, birth, y, { category: 'autism', institution: inst.C, diagnosis: { hospital: '省精神卫生中心', date: `${y}-01-05`, category: 'autism' } }));
  await act(first.h, 'county_review', actors.county1, 'approve');
  await task(first.h, 'intake_assessment'); // took C's only place

  const second = await start(input((await child(birth)).id, birth, y, { category: 'autism', institution: inst.C, diagnosis: { hospital: '省精神卫生中心', date: `${y}-01-06`, category: 'autism' } }));
  await act(second.h, 'county_review', actors.county1, 'approve');
  const waiting = await waitFor(async () => {
    const v = await view(second.h);
    return v.step === 'waitlisted' ? v : null;
  });
  expect(waiting.data.waitlist).toMatchObject({ partnerId: inst.C.id, position: 1 });
  expect(waiting.waitingOn).toBe('partner');
  const [w] = await ds.query(`SELECT status FROM rehab_waitlist WHERE case_id = $1 AND partner_id = $2`, [second.caseId, inst.C.id]);
  expect(w.status).toBe('waiting');

  // A switch from the waitlist to the same full institution makes no sense; the first child moves to A.
  expect((await refusal(second.h.executeUpdate(switchInstitutionUpdate, { args: [{ actor: actors.villager, institution: inst.C, reason: 'x' }] }))).type).toBe('INVALID_DECISION');
  const after = await first.h.executeUpdate(switchInstitutionUpdate, { args: [{ actor: actors.villager, institution: inst.A, reason: '家庭搬迁 / the family moved' }] });
  expect(after.openTasks.map((t) => t.step)).toEqual(['county_review']); // re-approval, old agreement ended

  // The freed place went to the waiting child by Signal: placed at C, intake open for C's staff.
  const intake = await task(second.h, 'intake_assessment');
  expect(intake.partnerId).toBe(inst.C.id);
  const [placed] = await ds.query(`SELECT status FROM rehab_waitlist WHERE case_id = $1 AND partner_id = $2`, [second.caseId, inst.C.id]);
  expect(placed.status).toBe('placed');
  expect((await events(second.caseId)).map((e) => e.type)).toEqual(expect.arrayContaining(['waitlisted', 'place_freed', 'placed']));
  expect((await events(first.caseId)).map((e) => e.type)).toEqual(expect.arrayContaining(['agreement_ended', 'place_offered', 'institution_switch_requested']));
  await act(first.h, 'county_review', actors.county1, 'approve');
  expect((await task(first.h, 'intake_assessment')).partnerId).toBe(inst.A.id);
  await record(second.h, 'waitlisted');
  await record(first.h, 'place-released');
  await stop(second.h);
  await stop(first.h);
}, 300_000);

test('a switch of institution mid-year ends the agreement, needs re-approval and keeps the history', async () => {
  const y = await freshYear();
  const birth = `${y - 3}-08-08`;
  const { h, caseId } = await start(input((await child(birth)).id, birth, y, { category: 'limb', needs: ['limb_surgery'], diagnosis: { hospital: '市妇幼保健院', date: `${y}-01-20`, category: 'limb' } }));
  await act(h, 'county_review', actors.county1, 'approve');
  await task(h, 'intake_assessment');
  await act(h, 'intake_assessment', actors.staffA, 'submit', { data: { assessedOn: `${y}-02-21`, goals: '独立行走', plannedMonths: 8 } });
  for (let m = 1; m <= 3; m++) await act(h, 'progress', actors.staffA, 'submit', { data: { attendanceDays: 20, goals: '步态改善' } });
  expect((await view(h)).step).toBe('training');

  // Only staff of the child's area, with a reason, to another institution.
  expect((await refusal(h.executeUpdate(switchInstitutionUpdate, { args: [{ actor: actors.staffB, institution: inst.B, reason: 'x' }] }))).type).toBe('FOREIGN_TASK');
  expect((await refusal(h.executeUpdate(switchInstitutionUpdate, { args: [{ actor: actors.villager, institution: inst.A, reason: 'x' }] }))).type).toBe('INVALID_DECISION');
  const v = await h.executeUpdate(switchInstitutionUpdate, { args: [{ actor: actors.villager, institution: inst.B, reason: '离家更近 / closer to home' }] });
  expect(v.openTasks.map((t) => t.step).sort()).toEqual(['bill', 'county_review']); // A bills its 3 months; the county re-approves
  expect(v.data.institution).toBeNull();
  await act(h, 'county_review', actors.county1, 'approve'); // same officer, same kind of decision (four-eyes allows it)
  const intakeB = await task(h, 'intake_assessment');
  expect(intakeB.partnerId).toBe(inst.B.id);
  expect((await view(h)).data.period).toMatchObject({ maxMonths: 7 }); // 10 a year, 3 used at A

  await act(h, 'bill', actors.staffA, 'submit', { data: { amount: 4500, invoiceNo: 'A-3M' } });
  await act(h, 'settlement_check', actors.county2, 'approve');
  const agreements = await ds.query(
    `SELECT partner_id, status, months, end_reason FROM rehab_agreement WHERE case_id = $1 ORDER BY started_at`,
    [caseId],
  );
  expect(agreements).toEqual([
    { partner_id: inst.A.id, status: 'ended', months: 3, end_reason: 'switched' },
    { partner_id: inst.B.id, status: 'active', months: 0, end_reason: null },
  ]);
  const [row] = await waitFor(async () => {
    const r = await ds.query(`SELECT partner_id FROM case_file WHERE id = $1`, [caseId]);
    return r[0].partner_id === inst.B.id ? r : null;
  });
  expect(row.partner_id).toBe(inst.B.id);
  const types = (await events(caseId)).map((e) => e.type);
  expect(types.filter((t) => t === 'placed')).toHaveLength(2);
  expect(types).toEqual(expect.arrayContaining(['institution_switch_requested', 'agreement_ended', 'switch_approved', 'payment_recorded']));
  const [pay] = await ds.query(`SELECT partner_id, amount::float AS amount FROM payment WHERE case_id = $1`, [caseId]);
  expect(pay).toEqual({ partner_id: inst.A.id, amount: 4500 });
  await record(h, 'switched');
  await stop(h);
}, 300_000);

test('returned for missing documents, then rejected with a reason; a resubmission is approved', async () => {
  const y = await freshYear();
  const birth = `${y - 2}-05-05`;
  const p = await child(birth);
  const { h, caseId } = await start(input(p.id, birth, y, { category: 'speech', diagnosis: { hospital: '县妇幼保健院', date: `${y}-02-01`, category: 'speech' } }));
  expect((await refusal(act(h, 'county_review', actors.county1, 'reject'))).type).toBe('INVALID_DECISION'); // a reason is required
  await act(h, 'county_review', actors.county1, 'return', { reason: '请补充监护人身份证复印件 / add the guardian’s ID copy' });
  const sup = await task(h, 'county_review_supplement');
  expect(sup.assigneeUserId).toBe(actors.villager.id); // back to the registrar
  await act(h, 'county_review_supplement', actors.villager, 'submit', { data: { note: '已补充 / added' } });
  await act(h, 'county_review', actors.county1, 'reject', { reason: '诊断机构不具备资质 / the diagnosing clinic is not qualified' });
  // (not h.result(): awaiting a result lets the test server skip time, and this test needs the year's months)
  expect(await waitFor(async () => ((await view(h)).status === 'closed' ? view(h) : null))).toMatchObject({ outcome: 'rejected' });
  await record(h, 'returned-rejected');
  const closed = (await events(caseId)).find((e) => e.type === 'case_closed')!;
  expect(closed.reason).toMatch(/not qualified/);

  // Resubmitted with a qualified hospital's diagnosis: a new case, approved and placed.
  const again = await start(input(p.id, birth, y, { category: 'speech', diagnosis: { hospital: '省儿童医院', date: `${y}-02-15`, category: 'speech' } }));
  await act(again.h, 'county_review', actors.county1, 'approve');
  expect((await task(again.h, 'intake_assessment')).partnerId).toBe(inst.A.id);
  await record(again.h, 'resubmitted');
  await stop(again.h);
}, 300_000);

test('a bill over the approved amount is refused with the reason; the county checks (four-eyes) before payment', async () => {
  const y = await freshYear();
  const birth = `${y - 5}-10-10`;
  const { h, caseId } = await start(input((await child(birth)).id, birth, y));
  await act(h, 'county_review', actors.county1, 'approve');
  await trainYear(h, actors.staffA, true, 2);
  await act(h, 'bill', actors.staffA, 'submit', { data: { amount: 16000, invoiceNo: 'TOO-MUCH' } });
  const refusedBill = await waitFor(async () => (await events(caseId)).find((e) => e.type === 'bill_refused'));
  expect(refusedBill.reason).toMatch(/over the approved amount: training approved 15000, 15000 left, billed 16000/);
  const again = await task(h, 'bill');
  const [note] = await ds.query(`SELECT note FROM task WHERE id = $1`, [again.taskId]);
  expect(note.note).toMatch(/超出核定金额/);
  expect((await refusal(act(h, 'bill', actors.staffA, 'submit', { data: { item: 'cochlear_implant', amount: 100 } }))).message).toMatch(/^该儿童未核定“人工耳蜗”项目（已核定：康复训练.*） \/ item cochlear_implant is not approved/);
  await act(h, 'bill', actors.staffA, 'submit', { data: { amount: 9000, invoiceNo: 'INV-9000' } });
  // The officer who approved the child may not approve paying for it.
  expect((await refusal(act(h, 'settlement_check', actors.county1, 'approve'))).type).toBe('FOUR_EYES');
  await act(h, 'settlement_check', actors.county2, 'reject', { reason: '发票抬头有误 / wrong invoice title' });
  await act(h, 'bill', actors.staffA, 'submit', { data: { amount: 9000, invoiceNo: 'INV-9000-2' } });
  await act(h, 'settlement_check', actors.county2, 'approve');
  const pay = await ds.query(`SELECT amount::float AS amount, reference, approved_by FROM payment WHERE case_id = $1`, [caseId]);
  expect(pay).toEqual([{ amount: 9000, reference: 'INV-9000-2', approved_by: actors.county2.id }]);
  expect((await view(h)).data.paid).toEqual({ training: 9000 });
  const types = (await events(caseId)).map((e) => e.type);
  expect(types).toEqual(expect.arrayContaining(['bill_refused', 'settlement_refused', 'payment_recorded']));
  await record(h, 'settlement-refused');
  await stop(h);
}, 300_000);

test('out-of-area treatment: the family claims back what it paid, capped at the home area’s rate, and the payment goes to the family', async () => {
  const y = await freshYear();
  // An institution in another county (the family took the child there), with its own staff.
  const far = await createTree(ds);
  const farId = randomUUID();
  const farName = `外县听力康复中心-${farId.slice(0, 4)}`;
  await ds.query(
    `INSERT INTO partner (id, name, kind, org_unit_code, services, capacity, agreement_start, agreement_end, status)
     VALUES ($1,$2,'rehab_institution',$3,$4,NULL,'2020-01-01','2099-12-31','active')`,
    [farId, farName, far.county.code, ['rehab_hearing']],
  );
  const farStaff = await createStaff(ds, { role: 'partner_staff', orgUnitCode: far.county.code, partnerId: farId, name: 'farStaff' });
  const staff: Actor = { id: farStaff.id, name: 'farStaff', role: 'partner_staff', orgPath: far.county.path, partnerId: farId };
  // The home county's standard for training is 12,000 ¥ a year (its own configuration).
  const home = { ...CHILD_REHAB_DEFAULTS, version: 'child_rehab@home@test', amounts: { ...CHILD_REHAB_DEFAULTS.amounts, training: 12000 } };
  const birth = `${y - 4}-04-04`;
  const { h, caseId } = await start(input((await child(birth)).id, birth, y, { institution: { id: farId, name: farName, orgPath: far.county.path } }, home));
  await act(h, 'county_review', actors.county1, 'approve');
  await trainYear(h, staff, true, 3);
  const v = await view(h);
  expect(v.data.institution).toMatchObject({ id: farId, outOfArea: true });
  expect(v.data.budget).toEqual({ training: 12000 });

  // No bill from the institution: the family paid it; the village caseworker files the family's claim.
  const claim = await task(h, 'reimbursement_claim');
  expect(claim).toMatchObject({ assigneeRole: 'village_caseworker', orgUnitCode: tree.villageA1.code });
  expect((await view(h)).openTasks.some((t) => t.step === 'bill')).toBe(false);
  expect((await refusal(act(h, 'reimbursement_claim', actors.villager, 'submit', { data: { amountPaid: 14800 } }))).message).toMatch(/^请填写收据号 \/ receiptNo is required$/);
  // The family paid 14,800 ¥ at the other county's prices; the home rate (12,000) caps the claim.
  await act(h, 'reimbursement_claim', actors.villager, 'submit', { data: { amountPaid: 14800, receiptNo: 'WX-2026-0042' } });
  const assessed = await waitFor(async () => (await events(caseId)).find((e) => e.type === 'reimbursement_assessed'));
  expect(assessed.data).toEqual({ item: 'training', paidByFamily: 14800, homeRate: 12000, reimbursed: 12000 });
  const check = await task(h, 'settlement_check');
  const [note] = await waitFor(async () => {
    const r = await ds.query(`SELECT note FROM task WHERE id = $1`, [check.taskId]);
    return r.length ? r : null;
  });
  expect(note.note).toBe('报销家庭 康复训练 12000 元');
  expect((await refusal(act(h, 'settlement_check', actors.county1, 'approve'))).type).toBe('FOUR_EYES');
  await act(h, 'settlement_check', actors.county2, 'approve');

  const pay = await waitFor(async () => {
    const r = await ds.query(`SELECT payee_kind, partner_id, item, amount::float AS amount, reference, approved_by FROM payment WHERE case_id = $1`, [caseId]);
    return r.length ? r : null;
  });
  expect(pay).toEqual([{ payee_kind: 'family', partner_id: farId, item: 'training', amount: 12000, reference: 'WX-2026-0042', approved_by: actors.county2.id }]);
  expect((await view(h)).data.paid).toEqual({ training: 12000 });
  const [agreement] = await ds.query(`SELECT out_of_area FROM rehab_agreement WHERE case_id = $1`, [caseId]);
  expect(agreement.out_of_area).toBe(true);
  const [{ bills }] = await ds.query(`SELECT count(*)::int AS bills FROM task WHERE case_id = $1 AND step = 'bill'`, [caseId]);
  expect(bills).toBe(0);
  await record(h, 'reimbursed-family');
  await stop(h);
}, 300_000);

test('a claim below the home rate is reimbursed in full', async () => {
  const y = await freshYear();
  const far = await createTree(ds);
  const farId = randomUUID();
  await ds.query(
    `INSERT INTO partner (id, name, kind, org_unit_code, services, capacity, agreement_start, agreement_end, status)
     VALUES ($1,$2,'rehab_institution',$3,$4,NULL,'2020-01-01','2099-12-31','active')`,
    [farId, `外县言语康复中心-${farId.slice(0, 4)}`, far.county.code, ['rehab_speech']],
  );
  const farStaff = await createStaff(ds, { role: 'partner_staff', orgUnitCode: far.county.code, partnerId: farId, name: 'farStaff2' });
  const staff: Actor = { id: farStaff.id, name: 'farStaff2', role: 'partner_staff', orgPath: far.county.path, partnerId: farId };
  const birth = `${y - 3}-03-03`;
  const { h, caseId } = await start(
    input((await child(birth)).id, birth, y, { category: 'speech', diagnosis: { hospital: '省儿童医院', date: `${y}-01-12`, category: 'speech' }, institution: { id: farId, name: '', orgPath: far.county.path } }),
  );
  await act(h, 'county_review', actors.county1, 'approve');
  await trainYear(h, staff, true, 2);
  await act(h, 'reimbursement_claim', actors.villager, 'submit', { data: { amountPaid: 5600.5, receiptNo: 'R-77' } });
  const assessed = await waitFor(async () => (await events(caseId)).find((e) => e.type === 'reimbursement_assessed'));
  expect(assessed.data).toEqual({ item: 'training', paidByFamily: 5600.5, homeRate: 15000, reimbursed: 5600.5 });
  await act(h, 'settlement_check', actors.county2, 'approve');
  const pay = await waitFor(async () => {
    const r = await ds.query(`SELECT payee_kind, amount::float AS amount FROM payment WHERE case_id = $1`, [caseId]);
    return r.length ? r : null;
  });
  expect(pay).toEqual([{ payee_kind: 'family', amount: 5600.5 }]);
  await stop(h);
}, 300_000);

test('monthly billing: a bill opens after each month’s progress record; one over what is left of the approved amount is refused with the reason', async () => {
  const y = await freshYear();
  const monthly = { ...CHILD_REHAB_DEFAULTS, version: 'child_rehab@monthly@test', rules: { ...CHILD_REHAB_DEFAULTS.rules, billing: 'monthly' } };
  const birth = `${y - 5}-05-05`;
  const { h, caseId } = await start(input((await child(birth)).id, birth, y, {}, monthly));
  await act(h, 'county_review', actors.county1, 'approve');
  await act(h, 'intake_assessment', actors.staffA, 'submit', { data: { assessedOn: `${y}-02-21`, goals: ['声音察觉'], plannedMonths: 3 } });
  const notes: string[] = [];
  /** The institution bills (the open bill's note, as staff see it, kept for the end), then the county approves. */
  const bill = async (amount: number, invoiceNo: string, approve = true) => {
    const t = await task(h, 'bill');
    const [row] = await waitFor(async () => {
      const r = await ds.query(`SELECT note FROM task WHERE id = $1 AND status = 'open'`, [t.taskId]);
      return r.length ? r : null;
    });
    notes.push(row.note);
    await act(h, 'bill', actors.staffA, 'submit', { data: { amount, invoiceNo } });
    if (approve) await act(h, 'settlement_check', actors.county2, 'approve');
  };

  // Month 1: no bill before the progress record; then the institution bills the month and is paid.
  await task(h, 'progress');
  expect((await view(h)).openTasks.some((t) => t.step === 'bill')).toBe(false);
  await act(h, 'progress', actors.staffA, 'submit', { data: { attendanceDays: 20, goals: '能察觉环境声' } });
  await bill(6000, 'M-1');
  // Month 2.
  await act(h, 'progress', actors.staffA, 'submit', { data: { attendanceDays: 19, goals: '能分辨两种声音' } });
  await bill(6000, 'M-2');
  await waitFor(async () => ((await view(h)).data.paid as { training?: number } | undefined)?.training === 12000);
  // Month 3: 6,000 is more than the 3,000 left of the 15,000 approved: refused, the reason on the timeline and the next bill.
  await act(h, 'progress', actors.staffA, 'submit', { data: { attendanceDays: 21, goals: '能跟读单字' } });
  await bill(6000, 'M-3', false);
  const refused = await waitFor(async () => (await events(caseId)).find((e) => e.type === 'bill_refused'));
  expect(refused.reason).toBe('超出核定金额：康复训练核定 15000 元，剩余 3000 元，本次申请 6000 元 / over the approved amount: training approved 15000, 3000 left, billed 6000');
  expect(refused.data).toEqual({ partnerId: inst.A.id, item: 'training', amount: 6000, approved: 15000, remaining: 3000 });
  expect((await view(h)).openTasks.some((t) => t.step === 'settlement_check')).toBe(false); // a refused bill never reaches the county
  await bill(3000, 'M-3b');
  await act(h, 'end_assessment', actors.staffA, 'submit', { data: { assessedOn: `${y}-05-25`, effective: true } });
  await waitFor(async () => (await events(caseId)).some((e) => e.type === 'period_assessed'));

  // One bill per month (and the re-bill with the refusal as its note), none for the period: three payments, 15,000 in all.
  expect(notes).toEqual([`${inst.A.name}: month 1`, `${inst.A.name}: month 2`, `${inst.A.name}: month 3`, refused.reason]);
  const pay = await waitFor(async () => {
    const r = await ds.query(`SELECT amount::float AS amount, reference FROM payment WHERE case_id = $1 ORDER BY payment_key`, [caseId]);
    return r.length === 3 ? r : null;
  });
  expect(pay).toEqual([
    { amount: 6000, reference: 'M-1' },
    { amount: 6000, reference: 'M-2' },
    { amount: 3000, reference: 'M-3b' },
  ]);
  const v = await view(h);
  expect(v.data.paid).toEqual({ training: 15000 });
  expect(v.openTasks.filter((t) => t.step === 'bill')).toEqual([]);
  const [{ bills }] = await ds.query(`SELECT count(*)::int AS bills FROM task WHERE case_id = $1 AND step = 'bill'`, [caseId]);
  expect(bills).toBe(4);
  await record(h, 'monthly-billing');
  await stop(h);
}, 300_000);

test('the intake moves the case to training in the read model at once, though no event of its own marks it', async () => {
  const y = await freshYear();
  const birth = `${y - 3}-03-03`;
  const p = await child(birth);
  const { h, caseId } = await start(input(p.id, birth, y, { category: 'speech', diagnosis: { hospital: '省儿童医院', date: `${y}-02-15`, category: 'speech' } }));
  await act(h, 'county_review', actors.county1, 'approve');
  await act(h, 'intake_assessment', actors.staffA, 'submit', { data: { assessedOn: `${y}-03-01`, goals: ['发音清晰'], plannedMonths: 2 } });
  // Time stands still here: the first progress record is a month away, so only the row change itself
  // can bring the step and the planned months to Postgres (before 'project-row-changes' it waited a month).
  const row = await waitFor(async () => {
    const [r] = await ds.query(`SELECT step, waiting_on, data FROM case_file WHERE id = $1`, [caseId]);
    return r?.step === 'training' ? r : null;
  }, 10_000);
  expect(row.waiting_on).toBe('partner');
  expect(row.data.period).toMatchObject({ institution: inst.A.name, planned: 2, months: 0 });
  const v = await view(h);
  expect(v.step).toBe('training');
  await record(h, 'intake-to-training');
  await stop(h);
}, 120_000);

test('an expired diagnosis is refused by the shared rules, naming the rule and its version', () => {
  const facts: ChildRehabFacts = {
    today: '2026-11-23', year: 2026, birthDate: '2022-04-01', maxAge: 7, category: 'vision', categories: ['vision', 'hearing'], needs: [],
    certificate: null, diagnosis: { hospital: '省眼科医院', date: '2025-10-01', category: 'vision' }, diagnosisValidYears: { vision: 1, other: 3 },
    guardian: { name: '李春兰', relation: '母亲' }, residence: 'hukou', residencePermit: null, acceptResidencePermit: true, hardship: [], declaredGroups: [],
    priorityGroupsOnly: false, openCases: 0, institution: { id: 'x', name: '康复中心', kind: 'rehab_institution', status: 'active', inForce: true, services: ['rehab_vision'] }, service: 'rehab_vision',
  };
  const r = checkChildRehabEligibility(facts);
  expect(r.eligible).toBe(false);
  const failed = r.rules.filter((x) => !x.ok);
  expect(failed).toHaveLength(1);
  expect(failed[0]).toMatchObject({ rule: 'evidence', version: CHILD_REHAB_RULES_VERSION });
  expect(failed[0].messageEn).toMatch(/diagnosis expired: made on 2025-10-01, valid 1 year\(s\), expired after 2026-09-30/);
  // The same diagnosis for hearing (3 years) would be valid.
  expect(checkChildRehabEligibility({ ...facts, category: 'hearing', diagnosis: { ...(facts.diagnosis as object), category: 'hearing' }, service: 'rehab_hearing', institution: { ...facts.institution!, services: ['rehab_hearing'] } }).eligible).toBe(true);
});
