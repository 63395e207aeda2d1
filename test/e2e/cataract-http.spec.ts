/**
 * A cataract case over HTTP on the real stack (api + worker in-process, Temporal dev server,
 * Postgres, Redis): registration → screening → hospital choice → pre-op → township verify →
 * county approval → surgery → settlement + four follow-ups → confirmation → archive.
 */
import { randomUUID } from 'node:crypto';
import { Client, Harness, startHarness } from '../setup/harness';
import { createCampaign, createHospital, createPerson, createTree, shanghaiDay, Tree } from '../setup/fixtures';
import { openTask } from '../setup/waits';

let h: Harness;
let tree: Tree;
let hospital: string;
let fullHospital: string;
let u: Record<string, Client>;

beforeAll(async () => {
  h = await startHarness('cataract');
  tree = await createTree(h.ds);
  hospital = (await createHospital(h.ds, tree.county.code)).id;
  fullHospital = (await createHospital(h.ds, tree.county.code, { capacity: 0 })).id;
  await createCampaign(h.ds, tree.county.code, { registrationStart: shanghaiDay(-30), registrationEnd: shanghaiDay(30), screeningStart: shanghaiDay(-20) });
  u = {
    villager: await h.user('village_caseworker', tree.villageA1.code),
    township1: await h.user('township_officer', tree.townshipA.code),
    township2: await h.user('township_officer', tree.townshipA.code),
    county1: await h.user('county_officer', tree.county.code),
    doctor: await h.user('partner_staff', tree.county.code, hospital),
    manager: await h.user('manager', tree.county.code),
  };
});
afterAll(async () => h?.close());

async function decide(c: Client, caseId: string, step: string, body: any) {
  const t = await openTask(c, caseId, step);
  return c.post(`/cases/${caseId}/tasks/${t.taskId}/decision`, body);
}

test('a cataract case from registration to archive', async () => {
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path, { birth: '1948-05-06', hardship: ['dibao'] });

  const pre = await u.villager.post('/cases/precheck', { programme: 'cataract', personId: person.id });
  expect(pre.status).toBe(201);
  expect(pre.body.eligible).toBe(true);
  expect(pre.body.rules.map((r: any) => r.rule)).toEqual(['no_open_case', 'one_eye_per_year', 'campaign_available', 'age']);
  expect(pre.body.priority).toBeGreaterThanOrEqual(4); // dibao + age 75+

  const started = await u.villager.post('/cases', { programme: 'cataract', personId: person.id });
  expect(started.status).toBe(201);
  const caseId = started.body.caseId;
  expect(started.body.caseNo).toMatch(/^CAT-\d{4}-\d{6}$/);

  // registering the same person again is refused with the rule that failed
  const again = await u.villager.post('/cases', { programme: 'cataract', personId: person.id });
  expect(again.status).toBe(422);
  expect(again.body.code).toBe('NOT_ELIGIBLE');
  expect(again.body.details.rules.find((r: any) => !r.ok).rule).toBe('no_open_case');

  // the screening task sits with the township officers: claimable in their inbox, and each got
  // an in-app notification through BullMQ (exactly one, however often the activity ran)
  const t = await openTask(u.township1, caseId, 'screening');
  let notes: any;
  for (let i = 0; i < 100; i++) {
    notes = (await u.township2.get('/notifications?filter=unread')).body;
    if (notes.items.some((n: any) => n.taskId === t.taskId)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const assigned = notes.items.filter((n: any) => n.taskId === t.taskId);
  expect(assigned).toHaveLength(1);
  expect(assigned[0].type).toBe('task_assigned');
  expect(assigned[0].title).toContain(started.body.caseNo);
  expect((await u.township2.post(`/notifications/${assigned[0].id}/read`)).status).toBe(200);
  expect((await u.township1.post(`/notifications/${assigned[0].id}/read`)).status).toBe(404); // not theirs
  const inbox = await u.township2.get('/inbox?view=claimable&programme=cataract');
  expect(inbox.body.items.map((i: any) => i.taskId)).toContain(t.taskId);
  expect((await u.township1.post(`/cases/${caseId}/tasks/${t.taskId}/claim`)).status).toBe(200);
  const after = await u.township2.get('/inbox?view=claimable&programme=cataract');
  expect(after.body.items.map((i: any) => i.taskId)).not.toContain(t.taskId);
  const mine = await u.township1.get('/inbox?view=mine');
  expect(mine.body.items.map((i: any) => i.taskId)).toContain(t.taskId);

  // malformed record: 422 with the reason, nothing recorded
  const bad = await u.township1.post(`/cases/${caseId}/tasks/${t.taskId}/decision`, { action: 'submit', data: { suitable: true } });
  expect(bad.status).toBe(422);
  expect(bad.body.message).toMatch(/^适合手术时须选择眼别（左\/右） \/ eye/);
  expect((await u.township1.post(`/cases/${caseId}/tasks/${t.taskId}/decision`, { action: 'submit', data: { suitable: true, eye: 'right', uncorrectedAcuity: 0.05 } })).status).toBe(200);
  // a decision on the now-closed task is 409
  const closed = await u.township1.post(`/cases/${caseId}/tasks/${t.taskId}/decision`, { action: 'submit', data: { suitable: true, eye: 'right' } });
  expect(closed.status).toBe(409);

  // hospital choice: a full hospital is refused and the choice reopens; then an available one
  expect((await decide(u.villager, caseId, 'hospital_choice', { action: 'submit', data: { partnerId: fullHospital } })).status).toBe(200);
  expect((await decide(u.villager, caseId, 'hospital_choice', { action: 'submit', data: { partnerId: hospital } })).status).toBe(200);
  expect((await decide(u.doctor, caseId, 'pre_op_check', { action: 'submit', data: { fit: true, eye: 'right' } })).status).toBe(200);

  // a village caseworker cannot approve (role), a township officer approves, then the county
  const wrongRole = await decide(u.villager, caseId, 'township_verify', { action: 'approve' });
  expect(wrongRole.status).toBe(403);
  expect((await decide(u.township1, caseId, 'township_verify', { action: 'approve' })).status).toBe(200);
  expect((await decide(u.county1, caseId, 'county_approval', { action: 'approve' })).status).toBe(200);

  const surgeryDate = shanghaiDay(-100); // follow-ups are all due already (and overdue)
  expect((await decide(u.doctor, caseId, 'surgery', { action: 'submit', data: { surgeryDate, eye: 'right', lensImplanted: true, lensType: 'IOL' } })).status).toBe(200);
  const over = await decide(u.county1, caseId, 'settlement', { action: 'submit', data: { amount: 99999 } });
  expect(over.status).toBe(422);
  expect(over.body.message).toMatch(/^结算金额须在 1400 至 2050 元之间 \/ amount must be between 1400 and 2050/);
  expect((await decide(u.county1, caseId, 'settlement', { action: 'submit', data: { amount: 1800 } })).status).toBe(200);

  const fu = await u.doctor.get('/followups');
  const mineFu = fu.body.items.filter((i: any) => i.caseId === caseId);
  expect(mineFu.map((i: any) => i.step).sort()).toEqual(['followup_2w', 'followup_3m', 'followup_day1', 'followup_phone']);
  for (const f of mineFu) {
    const r = await u.doctor.post(`/cases/${caseId}/tasks/${f.taskId}/followup`, { data: { reached: true, uncorrectedAcuity: 0.3, correctedAcuity: 0.5 } });
    expect(r.status).toBe(200);
  }
  expect((await decide(u.township2, caseId, 'confirmation', { action: 'submit', data: { confirmed: true } })).status).toBe(200);

  let detail: any;
  for (let i = 0; i < 50; i++) {
    detail = (await u.county1.get(`/cases/${caseId}`)).body;
    if (detail.case.status === 'closed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(detail.case.status).toBe('closed');
  expect(detail.case.outcome).toBe('completed');
  expect(detail.case.data.indicators).toMatchObject({ lensImplanted: true, outOfBlindness: true, outOfDisability: true, corrected03At2w: true });
  expect(detail.person.residentId).toBe(person.residentId); // county officer sees the full ID
  const types = detail.timeline.map((e: any) => e.type);
  expect(types[0]).toBe('case_opened');
  expect(types).toContain('hospital_refused');
  expect(types.at(-1)).toBe('case_closed');
  const villagerView = (await u.villager.get(`/cases/${caseId}`)).body;
  expect(villagerView.person.residentId).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/); // masked for the caseworker
});

test('bad input gets a 4xx with a reason', async () => {
  expect((await u.villager.post('/cases', { programme: 'cataract', personId: 'nope' })).status).toBe(400);
  expect((await u.villager.post('/cases', { programme: 'cataract', personId: '6f1c1f9e-0000-4000-8000-000000000000', extra: 1 })).status).toBe(400);
  expect((await u.villager.post('/cases', { programme: 'cataract', personId: '6f1c1f9e-0000-4000-8000-000000000000' })).status).toBe(404);
  expect((await u.villager.get('/cases/not-a-uuid')).status).toBe(400);
  expect((await u.villager.get('/inbox?cursor=garbage')).status).toBe(400);
  expect((await u.doctor.post('/cases', { programme: 'cataract', personId: '6f1c1f9e-0000-4000-8000-000000000000' })).status).toBe(403);
  expect((await h.client().get('/inbox')).status).toBe(401);
});

async function until<T>(fn: () => Promise<T | null | undefined>, what: string, tries = 100): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('a late registrant (after the campaign window) is registered into the next campaign and waits for its screening', async () => {
  const t2 = await createTree(h.ds); // a county of its own: its campaigns only
  await createCampaign(h.ds, t2.county.code, { registrationStart: shanghaiDay(-60), registrationEnd: shanghaiDay(-30), screeningStart: shanghaiDay(-20) });
  const next = await createCampaign(h.ds, t2.county.code, { registrationStart: shanghaiDay(10), registrationEnd: shanghaiDay(40), screeningStart: shanghaiDay(50) });
  const cw = await h.user('village_caseworker', t2.villageA1.code);
  const officer = await h.user('township_officer', t2.townshipA.code);
  const person = await createPerson(h.ds, t2.villageA1.code, t2.villageA1.path);

  const pre = await cw.post('/cases/precheck', { programme: 'cataract', personId: person.id });
  expect(pre.status).toBe(201);
  expect(pre.body.eligible).toBe(true);
  expect(pre.body.waitsForNextCampaign).toBe(true);
  expect(pre.body.campaign).toMatchObject({ id: next.id, screeningStart: shanghaiDay(50) });
  expect(pre.body.rules.find((r: any) => r.rule === 'campaign_available').message).toMatch(/^本期报名已截止，将进入下一期/);

  const r = await cw.post('/cases', { programme: 'cataract', personId: person.id });
  expect(r.status).toBe(201);
  expect(r.body.waitsForNextCampaign).toBe(true);
  expect(r.body.campaign.id).toBe(next.id);
  const caseId = r.body.caseId;
  const [row] = await h.ds.query(`SELECT campaign_id FROM case_file WHERE id = $1`, [caseId]);
  expect(row.campaign_id).toBe(next.id);

  // the workflow waits on a timer until the next campaign's screening day: no task for anyone
  const detail = await until(async () => {
    const d = (await cw.get(`/cases/${caseId}`)).body;
    return d.case?.step === 'awaiting_campaign' && d.timeline.some((e: any) => e.type === 'waiting_for_campaign') ? d : null;
  }, 'awaiting_campaign');
  expect(detail.case.waitingOn).toBe('timer');
  expect(detail.case.status).toBe('open');
  expect(detail.tasks).toEqual([]);
  expect(detail.timeline.find((e: any) => e.type === 'waiting_for_campaign').data).toEqual({ screeningStart: shanghaiDay(50) });
  expect((await officer.get('/inbox?limit=100')).body.items.map((t: any) => t.caseId)).not.toContain(caseId);

  // the same person cannot be put into a second campaign meanwhile
  const again = await cw.post('/cases', { programme: 'cataract', personId: person.id });
  expect(again.status).toBe(422);
  expect(again.body.details.rules.filter((x: any) => !x.ok).map((x: any) => x.rule)).toEqual(['no_open_case']);
});

test('after the window with no next campaign planned, registration is refused naming campaign_available', async () => {
  const t3 = await createTree(h.ds);
  await createCampaign(h.ds, t3.county.code, { registrationStart: shanghaiDay(-60), registrationEnd: shanghaiDay(-1), screeningStart: shanghaiDay(-20) });
  const cw = await h.user('village_caseworker', t3.villageA1.code);
  const person = await createPerson(h.ds, t3.villageA1.code, t3.villageA1.path);
  const r = await cw.post('/cases', { programme: 'cataract', personId: person.id });
  expect(r.status).toBe(422);
  expect(r.body.code).toBe('NOT_ELIGIBLE');
  expect(r.body.details.rules.filter((x: any) => !x.ok).map((x: any) => x.rule)).toEqual(['campaign_available']);
  expect(r.body.message).toContain('暂无开放或计划中的复明行动');
  const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM case_file WHERE person_id = $1`, [person.id]);
  expect(n).toBe(0);
});

/** A closed, completed cataract case of the person with its surgery on `surgeryDate` (as the workflow projects it). */
async function pastSurgery(personId: string, surgeryDate: string) {
  const id = randomUUID();
  await h.ds.query(
    `INSERT INTO case_file (id, case_no, programme, person_id, org_unit_code, org_path, status, step, waiting_on, outcome, workflow_id,
       rule_version, data, projected_seq, opened_at, closed_at)
     VALUES ($1,$2,'cataract',$3,$4,$5,'closed','confirmation','none','completed',$6,'cataract@default@2026-01-01',$7,40,now() - interval '200 days',now())`,
    [id, `CAT-T-${id.slice(0, 8)}`, personId, tree.villageA1.code, tree.villageA1.path, `case-${id}`, JSON.stringify({ surgery: { surgeryDate, eye: 'left', lensImplanted: true } })],
  );
}

test('one eye per year: a person operated on this year is refused (422, rule one_eye_per_year); last year’s surgery does not count', async () => {
  const thisYear = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
  await pastSurgery(thisYear.id, `${shanghaiDay(0).slice(0, 4)}-01-01`);
  const refused = await u.villager.post('/cases', { programme: 'cataract', personId: thisYear.id });
  expect(refused.status).toBe(422);
  expect(refused.body.code).toBe('NOT_ELIGIBLE');
  expect(refused.body.details.rules.filter((x: any) => !x.ok).map((x: any) => x.rule)).toEqual(['one_eye_per_year']);
  expect(refused.body.message).toContain('每年限做一眼');
  const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM case_file WHERE person_id = $1`, [thisYear.id]);
  expect(n).toBe(1); // only the past case: nothing was written

  const lastYear = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
  await pastSurgery(lastYear.id, `${Number(shanghaiDay(0).slice(0, 4)) - 1}-12-31`);
  const pre = await u.villager.post('/cases/precheck', { programme: 'cataract', personId: lastYear.id });
  expect(pre.body.eligible).toBe(true);
  expect(pre.body.rules.find((x: any) => x.rule === 'one_eye_per_year').ok).toBe(true);
});

test('a malformed decision and a decision on a closed task write nothing: no timeline event, no task change', async () => {
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
  const started = await u.villager.post('/cases', { programme: 'cataract', personId: person.id });
  expect(started.status).toBe(201);
  const caseId = started.body.caseId;
  const screening = await openTask(u.township1, caseId, 'screening');
  expect((await u.township1.post(`/cases/${caseId}/tasks/${screening.taskId}/decision`, { action: 'submit', data: { suitable: true, eye: 'left' } })).status).toBe(200);
  const choice = await openTask(u.villager, caseId, 'hospital_choice');

  const snapshot = async () => ({
    events: await h.ds.query(`SELECT * FROM case_event WHERE case_id = $1 ORDER BY seq`, [caseId]),
    tasks: await h.ds.query(`SELECT * FROM task WHERE case_id = $1 ORDER BY id`, [caseId]),
    caseRow: await h.ds.query(`SELECT step, status, data, projected_seq, updated_at FROM case_file WHERE id = $1`, [caseId]),
  });
  const before = await snapshot();
  expect(before.events.length).toBeGreaterThan(0);

  const post = (taskId: string, body: unknown) => u.villager.post(`/cases/${caseId}/tasks/${taskId}/decision`, body);
  // malformed: the record lacks its field; an approval on a record task; a reject with no reason
  const noField = await post(choice.taskId, { action: 'submit', data: {} });
  expect(noField.status).toBe(422);
  expect(noField.body.message).toMatch(/^请选择定点医院 \/ partnerId/);
  const wrongAction = await post(choice.taskId, { action: 'approve' });
  expect(wrongAction.status).toBe(422);
  expect(wrongAction.body.message).toMatch(/^登记任务不能执行“同意” \/ action approve is not possible on a record task/);
  expect((await post(choice.taskId, { action: 'reject' })).status).toBe(422);
  // not even a decision: refused by the request validation
  expect((await post(choice.taskId, { action: 'explode' })).status).toBe(400);
  expect((await post(choice.taskId, { action: 'submit', data: 'partner' })).status).toBe(400);
  // the screening task is closed: 409, whether a decision or a claim, by its officer
  const closed = await u.township1.post(`/cases/${caseId}/tasks/${screening.taskId}/decision`, { action: 'submit', data: { suitable: false, reason: '改主意' } });
  expect(closed.status).toBe(409);
  expect(closed.body.message).toMatch(/^该任务已办结 \/ task .* is already completed/);
  expect((await u.township1.post(`/cases/${caseId}/tasks/${screening.taskId}/claim`)).status).toBe(409);

  await new Promise((r) => setTimeout(r, 500)); // anything asynchronous would have landed by now
  expect(await snapshot()).toEqual(before);
});
