/**
 * The authorisation matrix, generated from the live route table: every route of the api must have
 * an entry here (the suite fails when a route is added without one, or an entry outlives its
 * route). For each route:
 *   - without a token → 401 (unless public);
 *   - each role, from an org unit (or partner) IN scope of the target resource → 403/404 if the
 *     role is not allowed; allowed roles never get 401/403 (nor 404 on a scoped resource);
 *   - each allowed role from an org unit (or partner of the same kind) OUT of scope of the target
 *     resource → 403 or 404;
 *   - nobody ever gets a 5xx.
 * Bodies are well-formed (DTO validation runs before the services' scope checks) but chosen so
 * that an allowed request is refused after the role and scope checks wherever one can be (400 /
 * 409 / 422: nothing recorded): the matrix checks who may reach the resource, the feature suites
 * check what the request does.
 */
import type { Role } from '../../src/auth/staff-user.entity';
import { randomUUID } from 'node:crypto';
import { createCampaign, createHospital, createPerson, createStaff, createTree, shanghaiDay, Tree } from '../setup/fixtures';
import { Client, Harness, Res, startHarness } from '../setup/harness';

type Ctx = Record<string, string>;
/** The kind of partner whose staff count as "in scope" for a route (partner_staff rows). */
type PartnerKind = 'hospital' | 'institution' | 'employer' | 'rehab';
interface Rule {
  /** Roles that may use the route on an in-scope resource; 'public' = no token needed. */
  allow: Role[] | 'public' | 'any';
  /** The route targets a resource of the in-scope tree: out-of-scope users must get 403/404. */
  scoped?: boolean;
  /** Which partner's staff are in scope (default: the hospital the cases are referred to). */
  partner?: PartnerKind;
  path?: (c: Ctx) => string;
  body?: (c: Ctx) => unknown;
  /** The call ends the session (sign-out): use a fresh account for it, not the shared one. */
  fresh?: boolean;
  /** Server-Sent Events, authenticated by a stream token in the URL (not by the bearer token). */
  sse?: boolean;
}

const STAFF: Role[] = ['village_caseworker', 'township_officer', 'county_officer', 'civil_affairs_officer', 'manager', 'admin'];
const ALL: Role[] = [...STAFF, 'partner_staff'];
const REGISTRARS: Role[] = ['village_caseworker', 'township_officer', 'county_officer'];
const SUPERVISORS: Role[] = ['manager', 'county_officer', 'admin'];
const OVERSIGHT_AND_PARTNER: Role[] = ['county_officer', 'manager', 'admin', 'partner_staff'];
const EDITORS: Role[] = ['county_officer', 'admin'];
const YEAR = Number(shanghaiDay(0).slice(0, 4));
const NIL = '00000000-0000-4000-8000-000000000000';

/** One entry per "METHOD /route" of the api. */
const MATRIX: Record<string, Rule> = {
  'GET /health': { allow: 'public' },
  'GET /ready': { allow: 'public' },
  'POST /auth/login': { allow: 'public', body: () => ({}) }, // 400: the body is checked before credentials
  'GET /auth/me': { allow: 'any' },
  'PUT /auth/me/locale': { allow: 'any', body: () => ({ locale: 'zh-CN' }) },
  'POST /auth/refresh': { allow: 'any' },
  'POST /auth/logout': { allow: 'any', fresh: true },
  'POST /auth/password': { allow: 'any', body: () => ({ currentPassword: 'wrong', newPassword: 'x' }) },
  'POST /auth/totp/setup': { allow: 'any' },
  'POST /auth/totp/enable': { allow: 'any', body: () => ({ otp: '000000' }) },
  'GET /staff': { allow: STAFF },
  'GET /admin/users': { allow: ['manager', 'admin'] },
  'POST /admin/users': { allow: ['admin'], body: (c) => ({ username: `u${Date.now()}`, displayName: 'x', password: 'weak', role: 'village_caseworker', orgUnitCode: c.villageA1 }) },
  'PUT /admin/users/:id': { allow: ['admin'], scoped: true, path: (c) => `/admin/users/${c.caseworkerA1}`, body: () => ({ displayName: '新名字' }) },
  'POST /admin/users/:id/unlock': { allow: ['admin'], scoped: true, path: (c) => `/admin/users/${c.caseworkerA1}/unlock` },
  'POST /admin/users/:id/password': { allow: ['admin'], scoped: true, path: (c) => `/admin/users/${c.caseworkerA1}/password`, body: () => ({ password: 'weak' }) },
  // The audit log of one staff member of the area: an admin of another area gets 404 for that actor
  // (their own area's entries are shown by the unfiltered query; test/e2e/audit-log.spec.ts).
  'GET /admin/audit': { allow: ['admin'], scoped: true, path: (c) => `/admin/audit?actorId=${c.caseworkerA1}` },
  'GET /admin/audit.csv': { allow: ['admin'], scoped: true, path: (c) => `/admin/audit.csv?actorId=${c.caseworkerA1}` },

  // ---- cases and tasks ----
  'POST /cases/precheck': { allow: REGISTRARS, scoped: true, body: (c) => ({ programme: 'cataract', personId: c.personA1 }) },
  'POST /cases': { allow: REGISTRARS, scoped: true, body: (c) => ({ programme: 'cataract', personId: c.casePerson }) }, // 422 no_open_case: nothing started
  'GET /cases': { allow: 'any' },
  // Not the case at screening: partner staff see only cases referred to their institution, so the
  // hospital's staff rightly get 404 on it. caseRef has been referred to the hospital (it is at its
  // follow-ups), so every role of the area may open it.
  'GET /cases/:caseId': { allow: ALL, scoped: true, path: (c) => `/cases/${c.caseRef}` },
  'GET /cases/:caseId/tasks': { allow: ALL, scoped: true, path: (c) => `/cases/${c.caseRef}/tasks` },
  'GET /cases/:caseId/why': { allow: ALL, scoped: true, path: (c) => `/cases/${c.caseRef}/why` },
  'GET /cases/:caseId/deliveries': { allow: ALL, scoped: true, path: (c) => `/cases/${c.caseRef}/deliveries` },
  'POST /cases/:caseId/tasks/:taskId/claim': { allow: ['township_officer'], scoped: true, path: (c) => `/cases/${c.caseA1}/tasks/${c.taskA1}/claim` },
  'POST /cases/:caseId/tasks/:taskId/decision': {
    allow: ['township_officer'],
    scoped: true,
    path: (c) => `/cases/${c.caseA1}/tasks/${c.taskA1}/decision`,
    body: () => ({ action: 'submit', data: {} }), // malformed on purpose: 422 for the right role, nothing recorded
  },
  // A real follow-up task (the hospital's, after surgery), not the screening task: only the hospital's
  // staff may record it; the body is incomplete on purpose (422, nothing recorded). The route on a task
  // of another kind is tested at the end of this file.
  'POST /cases/:caseId/tasks/:taskId/followup': { allow: ['partner_staff'], scoped: true, path: (c) => `/cases/${c.caseRef}/tasks/${c.followupTask}/followup`, body: () => ({ data: {} }) },
  'POST /cases/:caseId/break-glass': { allow: STAFF, path: (c) => `/cases/${c.caseA1}/break-glass`, body: () => ({ reason: 'x' }) },
  'GET /break-glass': { allow: ['manager', 'admin'] },
  'GET /inbox': { allow: 'any' },
  'GET /followups': { allow: 'any' },

  // ---- persons ----
  'GET /persons': { allow: 'any' },
  'POST /persons': { allow: ['village_caseworker', 'township_officer', 'county_officer', 'admin'], body: () => ({ residentId: 'bad' }) },
  'GET /persons/:id': { allow: STAFF, scoped: true, path: (c) => `/persons/${c.personA1}` },
  'PUT /persons/:id': { allow: ['village_caseworker', 'township_officer', 'county_officer', 'admin'], scoped: true, path: (c) => `/persons/${c.personA1}`, body: () => ({ disabilityCertNo: 'bad' }) }, // 422 CERT_FORMAT: nothing written
  'GET /persons/:id/sms-consent': { allow: ['village_caseworker', 'township_officer', 'county_officer', 'manager', 'admin'], scoped: true, path: (c) => `/persons/${c.personA1}/sms-consent` },
  'PUT /persons/:id/sms-consent': { allow: ['village_caseworker', 'township_officer', 'county_officer', 'admin'], scoped: true, path: (c) => `/persons/${c.personA1}/sms-consent`, body: () => ({ consent: false, note: 'authz matrix' }) },

  // ---- org units, partners, calendar, programme settings ----
  'GET /org-units/tree': { allow: 'any' },
  'GET /org-units/:code': { allow: 'any', scoped: true, path: (c) => `/org-units/${c.villageA1}` },
  // A code that does not extend the parent's (422 after the scope check: nothing written); body {}: 400 "nothing to change".
  'POST /org-units': { allow: ['admin'], scoped: true, body: (c) => ({ code: '999999999', parentCode: c.county, name: '权限矩阵' }) },
  'PUT /org-units/:code': { allow: ['admin'], scoped: true, path: (c) => `/org-units/${c.villageA1}`, body: () => ({}) },
  'GET /partners': { allow: 'any' },
  'GET /partners/:id': { allow: 'any', scoped: true, path: (c) => `/partners/${c.hospital}` },
  'POST /partners': { allow: EDITORS, body: () => ({}) },
  // Body {}: 400 "nothing to change" for editors in scope. It used to be answered before the scope
  // check, so editors of another area got 400 instead of 404 (fixed in PartnersService.update).
  'PUT /partners/:id': { allow: EDITORS, scoped: true, path: (c) => `/partners/${c.hospital}`, body: () => ({}) },
  'GET /calendar/working-days': { allow: 'any', path: () => `/calendar/working-days?from=2026-09-28&n=5` },
  'GET /admin/calendar/status': { allow: ['admin'], path: () => `/admin/calendar/status?year=2026` },
  'GET /admin/calendar/overrides': { allow: ['admin'] },
  'PUT /admin/calendar/overrides/:date': { allow: ['admin'], path: () => `/admin/calendar/overrides/not-a-date`, body: () => ({}) },
  'DELETE /admin/calendar/overrides/:date': { allow: ['admin'], path: () => `/admin/calendar/overrides/not-a-date` },
  'PUT /admin/calendar/years/:year': { allow: ['admin'], path: () => `/admin/calendar/years/1900`, body: () => ({}) },
  'DELETE /admin/calendar/years/:year': { allow: ['admin'], path: () => `/admin/calendar/years/1900` },
  'GET /admin/programme-configs': { allow: ['manager', 'admin'] },
  'POST /admin/programme-configs': { allow: ['manager', 'admin'], body: () => ({}) },
  'GET /admin/programme-configs/:id': { allow: ['manager', 'admin'], scoped: true, path: (c) => `/admin/programme-configs/${c.config}` },

  // ---- notifications ----
  'GET /notifications': { allow: 'any' },
  'GET /notifications/unread-count': { allow: 'any' },
  'POST /notifications/read-all': { allow: 'any' },
  'POST /notifications/:id/read': { allow: 'any', path: () => `/notifications/${NIL}/read` }, // only one's own: 404 for everyone here
  'GET /notifications/preferences': { allow: 'any' },
  'PUT /notifications/preferences': { allow: 'any', body: () => ({ channels: {} }) },
  'POST /notifications/stream-token': { allow: 'any' },
  'GET /notifications/stream': { allow: 'any', sse: true },
  'GET /admin/notifications/dead-letters': { allow: ['admin'] },
  'POST /admin/notifications/dead-letters/:id/retry': { allow: ['admin'], scoped: true, path: (c) => `/admin/notifications/dead-letters/${c.deadLetter}/retry` },

  // ---- monitoring (supervisors, in their scope) ----
  'GET /monitoring/stuck': { allow: SUPERVISORS, scoped: true, path: (c) => `/monitoring/stuck?category=overdue&orgUnitCode=${c.county}` },
  'GET /monitoring/summary': { allow: SUPERVISORS, scoped: true, path: (c) => `/monitoring/summary?orgUnitCode=${c.county}` },
  'GET /monitoring/workload': { allow: SUPERVISORS, scoped: true, path: (c) => `/monitoring/workload?orgUnitCode=${c.county}` },
  'GET /monitoring/bottlenecks': { allow: SUPERVISORS, scoped: true, path: (c) => `/monitoring/bottlenecks?orgUnitCode=${c.county}` },
  // 422 after role and scope: the new assignee (a village caseworker) may not hold a township task.
  'POST /monitoring/tasks/:taskId/reassign': { allow: ['manager'], scoped: true, path: (c) => `/monitoring/tasks/${c.taskA1}/reassign`, body: (c) => ({ toUserId: c.caseworkerA1 }) },
  'POST /monitoring/tasks/:taskId/nudge': { allow: SUPERVISORS, scoped: true, path: (c) => `/monitoring/tasks/${c.taskA1}/nudge`, body: () => ({ reason: '权限矩阵 / authz matrix' }) },
  // A blank reason passes the DTO but the case workflow refuses it (422) after its role and scope check.
  'POST /monitoring/tasks/:taskId/escalate': { allow: SUPERVISORS, scoped: true, path: (c) => `/monitoring/tasks/${c.taskA1}/escalate`, body: () => ({ reason: ' ' }) },
  'POST /monitoring/tasks/:taskId/extend': { allow: SUPERVISORS, scoped: true, path: (c) => `/monitoring/tasks/${c.taskA1}/extend`, body: () => ({ reason: ' ', workingDays: 1 }) },
  // 422 after the scope check of the departing person: the new assignee does not exist.
  'POST /monitoring/bulk-reassign': { allow: ['manager'], scoped: true, body: (c) => ({ fromUserId: c.caseworkerA1, toUserId: NIL }) },
  'GET /monitoring/operations': { allow: SUPERVISORS },
  'GET /monitoring/operations/:id': { allow: SUPERVISORS, scoped: true, path: (c) => `/monitoring/operations/${c.operation}` },

  // ---- yearly report ----
  'GET /reports/yearly': { allow: SUPERVISORS, scoped: true, path: (c) => `/reports/yearly?year=${YEAR}&orgUnitCode=${c.county}` },
  'GET /reports/yearly/drilldown': { allow: SUPERVISORS, scoped: true, path: (c) => `/reports/yearly/drilldown?year=${YEAR}&figure=cataract.surgeries&orgUnitCode=${c.county}` },
  'GET /reports/yearly.xlsx': { allow: SUPERVISORS, scoped: true, path: (c) => `/reports/yearly.xlsx?year=${YEAR}&orgUnitCode=${c.county}` },
  'GET /reports/yearly.csv': { allow: SUPERVISORS, scoped: true, path: (c) => `/reports/yearly.csv?year=${YEAR}&orgUnitCode=${c.county}` },

  // ---- training and placement ----
  'GET /training/courses': { allow: 'any' },
  'GET /training/courses/:id': { allow: ALL, scoped: true, partner: 'institution', path: (c) => `/training/courses/${c.course}` },
  // Dates the wrong way round: 422 COURSE_DATES after the scope check of the county.
  'POST /training/courses': {
    allow: EDITORS,
    scoped: true,
    body: (c) => ({ name: '权限矩阵', type: 'ecommerce', orgUnitCode: c.county, institutionId: c.institution, startDate: shanghaiDay(10), endDate: shanghaiDay(5), hours: 40, places: 3, location: '学校' }),
  },
  'PUT /training/courses/:id': { allow: EDITORS, scoped: true, path: (c) => `/training/courses/${c.course}`, body: () => ({}) }, // 400 nothing to change, after scope
  'GET /training/courses/:id/payment': { allow: OVERSIGHT_AND_PARTNER, scoped: true, partner: 'institution', path: (c) => `/training/courses/${c.course}/payment` },
  'GET /training/positions': { allow: 'any' },
  'POST /training/positions': { allow: EDITORS, scoped: true, body: (c) => ({ employerId: c.employer, title: '权限矩阵', openings: 1 }) }, // creates one per editor
  'PUT /training/positions/:id': { allow: EDITORS, scoped: true, path: (c) => `/training/positions/${c.position}`, body: () => ({}) }, // 400 nothing to change, after scope
  'PUT /training/employers/:id/profile': { allow: EDITORS, scoped: true, path: (c) => `/training/employers/${c.employer}/profile`, body: () => ({ headcount: 100 }) },
  'GET /training/employers/:id/quota': { allow: OVERSIGHT_AND_PARTNER, scoped: true, partner: 'employer', path: (c) => `/training/employers/${c.employer}/quota?year=${YEAR}` },
  'GET /training/report': { allow: 'any', path: () => `/training/report?year=${YEAR}` },

  // ---- child rehabilitation ----
  'GET /rehab/institutions/:id/waitlist': { allow: ALL, scoped: true, partner: 'rehab', path: (c) => `/rehab/institutions/${c.rehab}/waitlist` },
  // The case is still at county review (no institution yet): the institution's staff see it once the child is placed there (child-rehab-http.spec.ts).
  'GET /rehab/cases/:caseId/service-year': { allow: STAFF, scoped: true, path: (c) => `/rehab/cases/${c.caseRehab}/service-year` },
  // To the hospital, which is no designated rehabilitation institution: 422 after the scope check.
  'POST /rehab/cases/:caseId/switch': { allow: REGISTRARS, scoped: true, path: (c) => `/rehab/cases/${c.caseRehab}/switch`, body: (c) => ({ institutionId: c.hospital, reason: '权限矩阵 / authz matrix' }) },
  // Partner staff pass the guard but the service refuses them (reports are for federation staff).
  // The village: in the scope of every role placed in the tree (the county is above the caseworker's and the township's).
  'GET /rehab/report': { allow: STAFF, scoped: true, path: (c) => `/rehab/report?year=${YEAR}&orgUnitCode=${c.villageA1}` },
};

let h: Harness;
let inTree: Tree;
let outTree: Tree;
const ctx: Ctx = {};
const clients = { in: {} as Record<string, Client>, out: {} as Record<string, Client> };
/** Partner staff per kind of partner, of the in-scope and of the out-of-scope tree. */
const partnerStaff = { in: {} as Record<PartnerKind, Client>, out: {} as Record<PartnerKind, Client> };
const partners = { in: {} as Record<PartnerKind, string>, out: {} as Record<PartnerKind, string> };

function unitFor(role: Role, t: Tree): string {
  if (role === 'village_caseworker') return t.villageA1.code;
  if (role === 'township_officer') return t.townshipA.code;
  return t.county.code;
}

function clientFor(side: 'in' | 'out', role: Role, rule: Rule): Client {
  return role === 'partner_staff' ? partnerStaff[side][rule.partner ?? 'hospital'] : clients[side][role];
}

async function partner(countyCode: string, kind: string, services: string[]): Promise<string> {
  const id = randomUUID();
  await h.ds.query(
    `INSERT INTO partner (id, name, kind, org_unit_code, services, capacity, agreement_start, agreement_end, status)
     VALUES ($1,$2,$3,$4,$5,10,'2020-01-01','2099-12-31','active')`,
    [id, `权限矩阵${kind}${id.slice(0, 4)}`, kind, countyCode, services],
  );
  return id;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const openTask = (c: Client, caseId: string, step?: string) =>
  until(`task ${step ?? 'any'} of ${caseId}`, async () =>
    (await c.get(`/cases/${caseId}`)).body?.tasks?.find((t: any) => t.status === 'open' && (!step || t.step === step)),
  );

async function decide(c: Client, caseId: string, step: string, body: unknown) {
  const t = await openTask(c, caseId, step);
  const r = await c.post(`/cases/${caseId}/tasks/${t.taskId}/decision`, body);
  if (r.status !== 200) throw new Error(`${step}: ${r.status} ${JSON.stringify(r.body)}`);
}

beforeAll(async () => {
  h = await startHarness('authz');
  inTree = await createTree(h.ds);
  outTree = await createTree(h.ds);
  for (const [side, t] of [['in', inTree], ['out', outTree]] as const) {
    partners[side] = {
      hospital: (await createHospital(h.ds, t.county.code)).id,
      institution: await partner(t.county.code, 'training_institution', ['vocational_training']),
      employer: await partner(t.county.code, 'employer', ['job_placement']),
      rehab: await partner(t.county.code, 'rehab_institution', ['rehab_hearing', 'rehab_speech']),
    };
    await createCampaign(h.ds, t.county.code, { registrationStart: shanghaiDay(-5), registrationEnd: shanghaiDay(5), screeningStart: shanghaiDay(-1) });
    for (const role of STAFF) clients[side][role] = await h.user(role, unitFor(role, t));
    for (const kind of Object.keys(partners[side]) as PartnerKind[]) partnerStaff[side][kind] = await h.user('partner_staff', t.county.code, partners[side][kind]);
  }
  const u = clients.in;
  const hospital = partners.in.hospital;
  const caseworker = await createStaff(h.ds, { role: 'village_caseworker', orgUnitCode: inTree.villageA1.code });

  // A case at screening (the township's task), and a case referred to the hospital, driven to its follow-ups.
  const person = await createPerson(h.ds, inTree.villageA1.code, inTree.villageA1.path);
  const started = await u.village_caseworker.post('/cases', { programme: 'cataract', personId: person.id });
  expect(started.status).toBe(201);
  const taskA1 = (await openTask(u.village_caseworker, started.body.caseId, 'screening')).taskId;
  const refPerson = await createPerson(h.ds, inTree.villageA1.code, inTree.villageA1.path);
  const ref = await u.village_caseworker.post('/cases', { programme: 'cataract', personId: refPerson.id });
  expect(ref.status).toBe(201);
  const caseRef = ref.body.caseId;
  const doctor = partnerStaff.in.hospital;
  await decide(u.township_officer, caseRef, 'screening', { action: 'submit', data: { suitable: true, eye: 'right', uncorrectedAcuity: 0.05 } });
  await decide(u.village_caseworker, caseRef, 'hospital_choice', { action: 'submit', data: { partnerId: hospital } });
  await decide(doctor, caseRef, 'pre_op_check', { action: 'submit', data: { fit: true, eye: 'right' } });
  await decide(u.township_officer, caseRef, 'township_verify', { action: 'approve' });
  await decide(u.county_officer, caseRef, 'county_approval', { action: 'approve' });
  await decide(doctor, caseRef, 'surgery', { action: 'submit', data: { surgeryDate: shanghaiDay(-1), eye: 'right', lensImplanted: true, lensType: 'IOL' } });
  const followupTask = await until('a follow-up task', async () =>
    (await doctor.get('/followups')).body.items?.find((f: any) => f.caseId === caseRef)?.taskId as string | undefined,
  );

  // A child rehabilitation case (application at the county).
  const kid = await createPerson(h.ds, inTree.villageA1.code, inTree.villageA1.path, { birth: `${YEAR - 3}-02-02`, hardship: ['dibao'] });
  await h.ds.query(`UPDATE person SET guardian_name = '刘丽华', guardian_relation = '母亲', guardian_phone = '13900000000' WHERE id = $1`, [kid.id]);
  const rehabCase = await u.village_caseworker.post('/cases', {
    programme: 'child_rehab',
    personId: kid.id,
    details: { category: 'hearing', diagnosis: { hospital: '省儿童医院', date: shanghaiDay(-30), category: 'hearing' }, institutionId: partners.in.rehab },
  });
  expect(rehabCase.status).toBe(201);

  // A course and a position in the county's plan.
  const course = await u.county_officer.post('/training/courses', {
    name: '权限矩阵培训班', type: 'ecommerce', orgUnitCode: inTree.county.code, institutionId: partners.in.institution,
    startDate: shanghaiDay(30), endDate: shanghaiDay(40), hours: 40, places: 3, location: '县职业技能培训学校',
  });
  expect(course.status).toBe(201);
  const position = await u.county_officer.post('/training/positions', { employerId: partners.in.employer, title: '网店客服', openings: 2 });
  expect(position.status).toBe(201);

  // A programme setting of the county (effective next year, so no case uses it), a bulk operation, a dead letter.
  const [config] = await h.ds.query(
    `INSERT INTO programme_config (programme, org_unit_code, effective_from, version, settings) VALUES ('training', $1, $2, $3, '{}') RETURNING id`,
    [inTree.county.code, shanghaiDay(400), `training@${inTree.county.code}@authz`],
  );
  const op = await u.manager.post('/monitoring/bulk-reassign', { fromUserId: caseworker.id, toUserId: u.village_caseworker.userId });
  expect(op.status).toBe(202);
  const [dead] = await h.ds.query(
    `INSERT INTO notification_delivery (job_key, channel, type, recipient_kind, recipient_id, case_id, task_id, vars, status, attempts, last_error)
     VALUES ($1, 'in_app', 'task_overdue', 'staff', $2, $3, $4, $5, 'dead', 3, 'authz matrix') RETURNING id`,
    [`authz:${randomUUID()}`, u.township_officer.userId, started.body.caseId, taskA1, JSON.stringify({ caseNo: started.body.caseNo, step: 'screening', dueDate: shanghaiDay(-1) })],
  );

  // a second person in scope for the registration routes (the first already has an open case)
  const person2 = await createPerson(h.ds, inTree.villageA1.code, inTree.villageA1.path);
  Object.assign(ctx, {
    county: inTree.county.code,
    villageA1: inTree.villageA1.code,
    caseworkerA1: caseworker.id,
    personA1: person2.id,
    casePerson: person.id,
    caseA1: started.body.caseId,
    taskA1,
    caseRef,
    followupTask,
    caseRehab: rehabCase.body.caseId,
    hospital,
    institution: partners.in.institution,
    employer: partners.in.employer,
    rehab: partners.in.rehab,
    course: course.body.id,
    position: position.body.id,
    config: config.id,
    operation: op.body.operationId,
    deadLetter: dead.id,
  });
}, 120_000);
afterAll(async () => h?.close());

function liveRoutes(): string[] {
  const app = h.api.getHttpAdapter().getInstance();
  const stack: any[] = (app.router ?? app._router).stack;
  const out = new Set<string>();
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const m of Object.keys(layer.route.methods)) if (m !== '_all') out.add(`${m.toUpperCase()} ${layer.route.path}`);
  }
  return [...out].filter((r) => !r.includes('/api/docs')).sort();
}

test('every route of the api has an entry in the matrix', () => {
  const live = liveRoutes();
  expect(live.length).toBeGreaterThan(50); // the route table was really read
  const missing = live.filter((r) => !MATRIX[r]);
  expect(missing).toEqual([]);
  const stale = Object.keys(MATRIX).filter((r) => !live.includes(r));
  expect(stale).toEqual([]);
});

/** Opens an SSE stream, returns its status and hangs up. */
async function sse(path: string): Promise<Res> {
  const ctrl = new AbortController();
  const r = await fetch(h.base + path, { headers: { accept: 'text/event-stream' }, signal: ctrl.signal });
  const body = r.status === 200 ? undefined : await r.json().catch(() => undefined);
  ctrl.abort();
  return { status: r.status, body };
}

/** Ids of the in-scope tree's resources and people (never to be seen from the other tree). */
function areaIds(): string[] {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const people = [...Object.values(clients.in), ...Object.values(partnerStaff.in)].map((c) => c.userId!);
  return [...Object.values(ctx).filter((v) => uuid.test(v)), ...people];
}

async function call(c: Client, rule: Rule, method: string, path: string, body: unknown): Promise<Res> {
  if (rule.sse) {
    if (!c.token) return sse(path);
    const t = await c.post('/notifications/stream-token');
    expect(t.status).toBe(200);
    return sse(`${path}?token=${encodeURIComponent(t.body.token)}`);
  }
  if (method === 'GET') return c.get(path);
  if (method === 'DELETE') return c.delete(path);
  return method === 'PUT' ? c.put(path, body) : c.post(path, body);
}

describe.each(Object.entries(MATRIX))('%s', (route, rule) => {
  const [method, pattern] = route.split(' ');
  const path = () => (rule.path ? rule.path(ctx) : pattern);
  const body = () => (rule.body ? rule.body(ctx) : {});

  test('without a token', async () => {
    const r = await call(h.client(), rule, method, path(), body());
    expect(r.status).toBeLessThan(500);
    if (rule.allow === 'public') expect(r.status).not.toBe(401);
    else expect(r.status).toBe(401);
  });

  if (rule.allow === 'public') return;
  const allowed = rule.allow === 'any' ? ALL : rule.allow;

  test.each(ALL)('in scope as %s', async (role) => {
    const c = rule.fresh
      ? await h.user(role, unitFor(role, inTree), role === 'partner_staff' ? partners.in[rule.partner ?? 'hospital'] : undefined)
      : clientFor('in', role, rule);
    const r = await call(c, rule, method, path(), body());
    expect(r.status).toBeLessThan(500);
    if (allowed.includes(role)) {
      expect([401, 403]).not.toContain(r.status);
      if (rule.scoped) expect(r.status).not.toBe(404);
    } else {
      expect([403, 404]).toContain(r.status);
    }
  });

  if (rule.sse) {
    test('an access token in the URL does not open the stream', async () => {
      expect((await sse(`${path()}?token=${clients.in.manager.token}`)).status).toBe(401);
    });
  }

  if (!rule.scoped) {
    // Lists and other unscoped reads: someone of another area gets an answer, but nothing of this one in it.
    if (method !== 'GET' || rule.sse) return;
    test.each(allowed)('from another area as %s: nothing of this area in the answer', async (role) => {
      const r = await call(clientFor('out', role, rule), rule, method, path(), body());
      expect(r.status).toBeLessThan(500);
      const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? null);
      expect(areaIds().filter((id) => text.includes(id))).toEqual([]);
    });
    return;
  }
  test.each(allowed)('out of scope as %s', async (role) => {
    const r = await call(clientFor('out', role, rule), rule, method, path(), body());
    expect([403, 404]).toContain(r.status);
  });
});

// ---- regressions of holes the matrix found ----

test('the follow-up route on a task of another kind: 403 to whoever may not act on it, 422 only to its assignees', async () => {
  const path = `/cases/${ctx.caseA1}/tasks/${ctx.taskA1}/followup`;
  for (const role of ALL) {
    const r = await clientFor('in', role, {} as Rule).post(path, { data: {} });
    // the hospital's staff do not see this case at all (not referred to them): 404
    const expected = role === 'township_officer' ? 422 : role === 'partner_staff' ? 404 : 403;
    expect([role, r.status]).toEqual([role, expected]);
  }
});

test('dead letters: an admin lists only those of their area', async () => {
  const [dead] = await h.ds.query(
    `INSERT INTO notification_delivery (job_key, channel, type, recipient_kind, recipient_id, case_id, vars, status, attempts, last_error)
     VALUES ($1, 'email', 'task_overdue', 'staff', $2, $3, '{}', 'dead', 3, 'authz matrix') RETURNING id`,
    [`authz:${randomUUID()}`, clients.in.township_officer.userId, ctx.caseA1],
  );
  const listed = async (c: Client) => {
    const r = await c.get('/admin/notifications/dead-letters?limit=500&channel=email');
    expect(r.status).toBe(200);
    return r.body.items.map((d: any) => d.id);
  };
  expect(await listed(clients.in.admin)).toContain(dead.id);
  expect(await listed(clients.out.admin)).not.toContain(dead.id);
  // a digest without a case belongs to the area of its recipient
  const [digest] = await h.ds.query(
    `INSERT INTO notification_delivery (job_key, channel, type, recipient_kind, recipient_id, vars, status, attempts, last_error)
     VALUES ($1, 'email', 'daily_digest', 'staff', $2, '{}', 'dead', 3, 'authz matrix') RETURNING id`,
    [`authz:${randomUUID()}`, clients.out.township_officer.userId],
  );
  expect(await listed(clients.in.admin)).not.toContain(digest.id);
  expect(await listed(clients.out.admin)).toContain(digest.id);
  expect((await clients.in.admin.post(`/admin/notifications/dead-letters/${digest.id}/retry`)).status).toBe(404);
});
