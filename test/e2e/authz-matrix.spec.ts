/**
 * The authorisation matrix, generated from the live route table: every route of the api must have
 * an entry here (the suite fails when a route is added without one). For each route:
 *   - without a token → 401 (unless public);
 *   - each role, from an org unit (or partner) IN scope of the target resource → 403 only if the
 *     role is not allowed; allowed roles never get 401/403 (nor 404 on a scoped resource);
 *   - each allowed role from an org unit OUT of scope of the target resource → 403 or 404.
 * Bodies are minimal: an allowed request may still be refused as 400/409/422 — the matrix checks
 * who may reach the resource, the feature suites check what the request does.
 */
import type { Role } from '../../src/auth/staff-user.entity';
import { createCampaign, createHospital, createPerson, createStaff, createTree, shanghaiDay, Tree } from '../setup/fixtures';
import { Client, Harness, startHarness } from '../setup/harness';

type Ctx = Record<string, string>;
interface Rule {
  /** Roles that may use the route on an in-scope resource; 'public' = no token needed. */
  allow: Role[] | 'public' | 'any';
  /** The route targets a resource of the in-scope tree: out-of-scope users must get 403/404. */
  scoped?: boolean;
  path?: (c: Ctx) => string;
  body?: (c: Ctx) => unknown;
  /** The call ends the session (sign-out): use a fresh account for it, not the shared one. */
  fresh?: boolean;
}

const STAFF: Role[] = ['village_caseworker', 'township_officer', 'county_officer', 'civil_affairs_officer', 'manager', 'admin'];
const ALL: Role[] = [...STAFF, 'partner_staff'];
const REGISTRARS: Role[] = ['village_caseworker', 'township_officer', 'county_officer'];

/** One entry per "METHOD /route" of the api. */
const MATRIX: Record<string, Rule> = {
  'GET /health': { allow: 'public' },
  'GET /ready': { allow: 'public' },
  'POST /auth/login': { allow: 'public', body: () => ({}) }, // 400: the body is checked before credentials
  'GET /auth/me': { allow: 'any' },
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
  'POST /cases/precheck': { allow: REGISTRARS, scoped: true, body: (c) => ({ programme: 'cataract', personId: c.personA1 }) },
  'POST /cases': { allow: REGISTRARS, scoped: true, body: (c) => ({ programme: 'cataract', personId: c.personA1 }) },
  'GET /cases': { allow: 'any' },
  'GET /cases/:caseId': { allow: ALL, scoped: true, path: (c) => `/cases/${c.caseA1}` },
  'GET /cases/:caseId/tasks': { allow: ALL, scoped: true, path: (c) => `/cases/${c.caseA1}/tasks` },
  'POST /cases/:caseId/tasks/:taskId/claim': { allow: ['township_officer'], scoped: true, path: (c) => `/cases/${c.caseA1}/tasks/${c.taskA1}/claim` },
  'POST /cases/:caseId/tasks/:taskId/decision': {
    allow: ['township_officer'],
    scoped: true,
    path: (c) => `/cases/${c.caseA1}/tasks/${c.taskA1}/decision`,
    body: () => ({ action: 'submit', data: {} }), // malformed on purpose: 422 for the right role, nothing recorded
  },
  'POST /cases/:caseId/tasks/:taskId/followup': { allow: ['township_officer'], scoped: true, path: (c) => `/cases/${c.caseA1}/tasks/${c.taskA1}/followup`, body: () => ({ data: {} }) },
  'POST /cases/:caseId/break-glass': { allow: STAFF, path: (c) => `/cases/${c.caseA1}/break-glass`, body: () => ({ reason: 'x' }) },
  'GET /break-glass': { allow: ['manager', 'admin'] },
  'GET /inbox': { allow: 'any' },
  'GET /followups': { allow: 'any' },
  'GET /persons': { allow: 'any' },
  'POST /persons': { allow: ['village_caseworker', 'township_officer', 'county_officer', 'admin'], body: () => ({ residentId: 'bad' }) },
  'GET /persons/:id': { allow: STAFF, scoped: true, path: (c) => `/persons/${c.personA1}` },
  'GET /org-units/tree': { allow: 'any' },
  'GET /org-units/:code': { allow: 'any', path: (c) => `/org-units/${c.villageA1}` },
  'GET /partners': { allow: 'any' },
  'GET /partners/:id': { allow: 'any', path: (c) => `/partners/${c.hospital}` },
  'POST /partners': { allow: ['county_officer', 'admin'], body: () => ({}) },
  'PUT /partners/:id': { allow: ['county_officer', 'admin'], scoped: true, path: (c) => `/partners/${c.hospital}`, body: () => ({}) },
  'GET /calendar/working-days': { allow: 'any', path: () => `/calendar/working-days?from=2026-09-28&n=5` },
  'GET /admin/calendar/status': { allow: ['admin'], path: () => `/admin/calendar/status?year=2026` },
  'GET /admin/calendar/overrides': { allow: ['admin'] },
  'PUT /admin/calendar/overrides/:date': { allow: ['admin'], path: () => `/admin/calendar/overrides/not-a-date`, body: () => ({}) },
  'DELETE /admin/calendar/overrides/:date': { allow: ['admin'], path: () => `/admin/calendar/overrides/not-a-date` },
  'PUT /admin/calendar/years/:year': { allow: ['admin'], path: () => `/admin/calendar/years/1900`, body: () => ({}) },
  'DELETE /admin/calendar/years/:year': { allow: ['admin'], path: () => `/admin/calendar/years/1900` },
  'GET /admin/programme-configs': { allow: ['manager', 'admin'] },
  'POST /admin/programme-configs': { allow: ['manager', 'admin'], body: () => ({}) },
  'GET /admin/programme-configs/:id': { allow: ['manager', 'admin'], path: () => `/admin/programme-configs/00000000-0000-4000-8000-000000000000` },
  'GET /notifications': { allow: 'any' },
  'POST /notifications/:id/read': { allow: 'any', path: () => `/notifications/00000000-0000-4000-8000-000000000000/read` },
};

let h: Harness;
let inTree: Tree;
let outTree: Tree;
const ctx: Ctx = {};
const clients = { in: {} as Record<string, Client>, out: {} as Record<string, Client> };

function unitFor(role: Role, t: Tree): string {
  if (role === 'village_caseworker') return t.villageA1.code;
  if (role === 'township_officer') return t.townshipA.code;
  return t.county.code;
}

beforeAll(async () => {
  h = await startHarness('authz');
  inTree = await createTree(h.ds);
  outTree = await createTree(h.ds);
  const hospital = (await createHospital(h.ds, inTree.county.code)).id;
  const outHospital = (await createHospital(h.ds, outTree.county.code)).id;
  await createCampaign(h.ds, inTree.county.code, { registrationStart: shanghaiDay(-5), registrationEnd: shanghaiDay(5), screeningStart: shanghaiDay(-1) });
  for (const role of ALL) {
    clients.in[role] = await h.user(role, unitFor(role, inTree), role === 'partner_staff' ? hospital : undefined);
    clients.out[role] = await h.user(role, unitFor(role, outTree), role === 'partner_staff' ? outHospital : undefined);
  }
  const caseworker = await createStaff(h.ds, { role: 'village_caseworker', orgUnitCode: inTree.villageA1.code });
  const person = await createPerson(h.ds, inTree.villageA1.code, inTree.villageA1.path);
  const started = await clients.in.village_caseworker.post('/cases', { programme: 'cataract', personId: person.id });
  expect(started.status).toBe(201);
  let taskId: string | undefined;
  for (let i = 0; i < 100 && !taskId; i++) {
    taskId = (await clients.in.village_caseworker.get(`/cases/${started.body.caseId}`)).body.tasks?.find((t: any) => t.status === 'open')?.taskId;
    if (!taskId) await new Promise((r) => setTimeout(r, 100));
  }
  // a second person in scope for the registration routes (the first already has an open case)
  const person2 = await createPerson(h.ds, inTree.villageA1.code, inTree.villageA1.path);
  Object.assign(ctx, {
    villageA1: inTree.villageA1.code,
    caseworkerA1: caseworker.id,
    personA1: person2.id,
    casePerson: person.id,
    caseA1: started.body.caseId,
    taskA1: taskId!,
    hospital,
  });
});
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
  const missing = liveRoutes().filter((r) => !MATRIX[r]);
  expect(missing).toEqual([]);
  const stale = Object.keys(MATRIX).filter((r) => !liveRoutes().includes(r));
  expect(stale).toEqual([]);
});

async function call(c: Client, method: string, path: string, body: unknown) {
  if (method === 'GET') return c.get(path);
  if (method === 'DELETE') return c.delete(path);
  return method === 'PUT' ? c.put(path, body) : c.post(path, body);
}

describe.each(Object.entries(MATRIX))('%s', (route, rule) => {
  const [method, pattern] = route.split(' ');
  const path = () => (rule.path ? rule.path(ctx) : pattern);
  const body = () => (rule.body ? rule.body(ctx) : {});

  test('without a token', async () => {
    const r = await call(h.client(), method, path(), body());
    if (rule.allow === 'public') expect(r.status).not.toBe(401);
    else expect(r.status).toBe(401);
  });

  if (rule.allow === 'public') return;
  const allowed = rule.allow === 'any' ? ALL : rule.allow;

  test.each(ALL)('in scope as %s', async (role) => {
    const c = rule.fresh ? await h.user(role, unitFor(role, inTree), role === 'partner_staff' ? ctx.hospital : undefined) : clients.in[role];
    const r = await call(c, method, path(), body());
    if (allowed.includes(role)) {
      expect([401, 403]).not.toContain(r.status);
      if (rule.scoped) expect(r.status).not.toBe(404);
    } else {
      expect([403, 404]).toContain(r.status);
    }
  });

  if (!rule.scoped) return;
  test.each(allowed)('out of scope as %s', async (role) => {
    const r = await call(clients.out[role], method, path(), body());
    expect([403, 404]).toContain(r.status);
  });
});
