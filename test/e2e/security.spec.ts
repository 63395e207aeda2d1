/**
 * Authentication and audit on the real stack: lockout, sign-in rate limit, idle and absolute
 * session limits, sign-out, TOTP, MFA enforcement by role, password policy, security headers,
 * and the hash-chained audit log detecting an edited row.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import IORedis from 'ioredis';
import * as OTPAuth from 'otpauth';
import { hashPassword } from '../../src/auth/passwords';
import { createCampaign, createPerson, createStaff, createTree, shanghaiDay, Tree } from '../setup/fixtures';
import { Harness, startHarness, TEST_PASSWORD } from '../setup/harness';

let h: Harness;
let tree: Tree;

beforeAll(async () => {
  // Other suites signed in many users from 127.0.0.1 this minute: start from empty counters.
  const redis = new IORedis(process.env.REDIS_URL!);
  const keys = await redis.keys('rl:*');
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  h = await startHarness('security', { LOGIN_RATE_PER_MINUTE: '40', MFA_REQUIRED_ROLES: 'admin' });
  tree = await createTree(h.ds);
});
afterAll(async () => h?.close());

async function account(role = 'county_officer') {
  const u = await createStaff(h.ds, { role, orgUnitCode: tree.county.code, passwordHash: await hashPassword(TEST_PASSWORD) });
  return u;
}
const login = (username: string, password = TEST_PASSWORD, otp?: string) => h.client().post('/auth/login', { username, password, ...(otp ? { otp } : {}) });

test('five wrong passwords lock the account for 30 minutes; an admin can unlock', async () => {
  const u = await account();
  for (let i = 0; i < 5; i++) expect((await login(u.username, 'wrong')).status).toBe(401);
  const locked = await login(u.username);
  expect(locked.status).toBe(423);
  expect(locked.body.code).toBe('ACCOUNT_LOCKED');
  const [row] = await h.ds.query(`SELECT locked_until FROM staff_user WHERE id = $1`, [u.id]);
  const minutes = (new Date(row.locked_until).getTime() - Date.now()) / 60_000;
  expect(minutes).toBeGreaterThan(29);
  expect(minutes).toBeLessThanOrEqual(30);
  await h.ds.query(`UPDATE staff_user SET locked_until = NULL WHERE id = $1`, [u.id]);
  expect((await login(u.username)).status).toBe(200);
});

test('sessions: idle timeout, absolute lifetime, sign-out revokes at once', async () => {
  const u = await account();
  const t1 = (await login(u.username)).body.accessToken;
  const c1 = h.client(t1);
  expect((await c1.get('/auth/me')).status).toBe(200);
  await h.ds.query(`UPDATE auth_session SET last_seen_at = now() - interval '16 minutes' WHERE user_id = $1`, [u.id]);
  const idle = await c1.get('/auth/me');
  expect(idle.status).toBe(401);
  expect(idle.body.message).toMatch(/inactivity/);

  const c2 = h.client((await login(u.username)).body.accessToken);
  await h.ds.query(`UPDATE auth_session SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND revoked_at IS NULL`, [u.id]);
  expect((await c2.get('/auth/me')).body.message).toMatch(/maximum lifetime/);

  const c3 = h.client((await login(u.username)).body.accessToken);
  expect((await c3.post('/auth/logout')).status).toBe(200);
  const after = await c3.get('/auth/me');
  expect(after.status).toBe(401);
  expect(after.body.message).toMatch(/signed out/);
});

test('TOTP: enrolment, then sign-in needs the code; roles that require MFA are held until enrolled', async () => {
  const admin = await createStaff(h.ds, { role: 'admin', orgUnitCode: tree.county.code, passwordHash: await hashPassword(TEST_PASSWORD) });
  const c = h.client((await login(admin.username)).body.accessToken);
  const held = await c.get('/admin/users');
  expect(held.status).toBe(403);
  expect(held.body.code).toBe('MFA_ENROLL_REQUIRED');
  const setup = await c.post('/auth/totp/setup');
  expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.body.secret) });
  expect((await c.post('/auth/totp/enable', { otp: '000000' === totp.generate() ? '111111' : '000000' })).status).toBe(422);
  expect((await c.post('/auth/totp/enable', { otp: totp.generate() })).status).toBe(200);
  const noCode = await login(admin.username);
  expect(noCode.status).toBe(401);
  expect(noCode.body.code).toBe('OTP_REQUIRED');
  const withCode = await login(admin.username, TEST_PASSWORD, totp.generate());
  expect(withCode.status).toBe(200);
  expect((await h.client(withCode.body.accessToken).get('/admin/users')).status).toBe(200);
});

test('password policy and security headers', async () => {
  const u = await account();
  const c = h.client((await login(u.username)).body.accessToken);
  const weak = await c.post('/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'abcdefgh' });
  expect(weak.status).toBe(422);
  expect(weak.body.code).toBe('WEAK_PASSWORD');
  expect((await c.post('/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Better#Pass9' })).status).toBe(200);
  expect((await c.get('/auth/me')).status).toBe(401); // password change signs out every session
  const r = await fetch(`${h.base}/health`);
  expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  expect(r.headers.get('content-security-policy')).toBeTruthy();
  expect(r.headers.get('access-control-allow-origin')).toBeNull();
});

test('the audit log records sign-ins and admin changes, and verify detects an edited row', async () => {
  const u = await account();
  await login(u.username, 'wrong');
  const rows = await h.ds.query(`SELECT action, success, detail FROM audit_log WHERE actor_name = $1 ORDER BY id`, [u.username]);
  expect(rows.at(-1)).toMatchObject({ action: 'auth.login', success: false, detail: { reason: 'bad-password' } });
  const cli = () =>
    spawnSync(process.execPath, [join(__dirname, '..', '..', 'dist', 'src', 'database', 'cli.js'), 'audit-verify'], {
      env: { PATH: process.env.PATH!, DATABASE_URL: process.env.DATABASE_URL! },
      encoding: 'utf8',
    });
  const ok = cli();
  expect(ok.status).toBe(0);
  expect(ok.stdout).toMatch(/audit chain intact/);
  // The table refuses edits; an attacker with database rights disables that and edits a row…
  await expect(h.ds.query(`UPDATE audit_log SET success = true WHERE actor_name = $1`, [u.username])).rejects.toThrow(/append-only/);
  await h.ds.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`);
  try {
    await h.ds.query(`UPDATE audit_log SET success = true WHERE id = (SELECT max(id) FROM audit_log WHERE actor_name = $1)`, [u.username]);
    const bad = cli();
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/audit chain BROKEN at entry \d+: content does not match/);
  } finally {
    // …and the test restores the row so later suites see an intact chain.
    await h.ds.query(`UPDATE audit_log SET success = false WHERE id = (SELECT max(id) FROM audit_log WHERE actor_name = $1)`, [u.username]);
    await h.ds.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`);
  }
  expect(cli().status).toBe(0);
});

test('break-glass: out-of-scope access with a reason, time-limited, audited, listed for managers', async () => {
  await createCampaign(h.ds, tree.county.code, { registrationStart: shanghaiDay(-5), registrationEnd: shanghaiDay(5), screeningStart: shanghaiDay(-1) });
  const a1 = await h.user('village_caseworker', tree.villageA1.code);
  const b1 = await h.user('village_caseworker', tree.villageB1.code);
  const manager = await h.user('manager', tree.county.code);
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
  const caseId = (await a1.post('/cases', { programme: 'cataract', personId: person.id })).body.caseId;
  expect((await b1.get(`/cases/${caseId}`)).status).toBe(404);
  expect((await b1.post(`/cases/${caseId}/break-glass`, { reason: 'short' })).status).toBe(400);
  const g = await b1.post(`/cases/${caseId}/break-glass`, { reason: '该居民已迁入本村，需要查看既往个案记录' });
  expect(g.status).toBe(201);
  expect((await b1.get(`/cases/${caseId}`)).status).toBe(200);
  const listed = await manager.get('/break-glass');
  expect(listed.body.map((x: any) => x.caseId)).toContain(caseId);
  const audited = await h.ds.query(`SELECT success FROM audit_log WHERE actor_id = $1 AND action LIKE 'POST /cases/:caseId/break-glass' ORDER BY id`, [b1.userId]);
  expect(audited.map((r: any) => r.success)).toEqual([false, true]);
  await h.ds.query(`UPDATE break_glass_grant SET expires_at = now() - interval '1 second' WHERE id = $1`, [g.body.grantId]);
  expect((await b1.get(`/cases/${caseId}`)).status).toBe(404);
});

test('sign-in is rate limited per account (10 a minute), whatever else the source does', async () => {
  const redis = new IORedis(process.env.REDIS_URL!);
  const keys = await redis.keys('rl:*');
  if (keys.length) await redis.del(...keys); // start from empty counters: this test is about the account's
  redis.disconnect();
  const target = `ghost-${Date.now()}`; // an account name being guessed (unknown, so no lockout applies)
  const statuses: number[] = [];
  // 2 × the limit + 1: at least one fixed one-minute window overflows even across a boundary
  for (let i = 0; i < 21; i++) statuses.push((await login(target, `guess-${i}`)).status);
  expect(statuses.slice(0, 10)).not.toContain(429);
  expect(statuses).toContain(429);
  // the same source may still sign in to another account: it was the account that was limited, not the IP
  expect((await login(`other-${Date.now()}`, 'x')).status).toBe(401);
});

test('sign-in is rate limited per IP (runs last: it spends this minute\'s allowance)', async () => {
  const statuses: number[] = [];
  // 2 × the limit, so at least one fixed one-minute window overflows even across a boundary
  for (let i = 0; i < 80; i++) statuses.push((await login(`nobody-${i}`, 'x')).status);
  expect(statuses).toContain(429);
  const r = await login(`nobody-x`, 'x');
  if (r.status === 429) expect(r.body.code).toBe('TOO_MANY_ATTEMPTS');
});
