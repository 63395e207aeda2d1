/**
 * The web app (web/, served from dist/web by src/web/web.module.ts) in a real browser on the real
 * stack: startHarness runs the api and the worker in-process on the test command's Temporal,
 * Postgres and Redis; Debian's chromium is driven by playwright-core. Every main page is checked
 * with axe-core (no serious or critical WCAG 2.1 A/AA violation) and photographed into
 * $TEST_ARTIFACTS_DIR/screenshots/. The page runs under the api's real CSP; a CSP violation fails.
 *
 * Scenarios: a caseworker registers a person and starts a cataract case (pre-check explained); the
 * township officer screens and verifies, the county officer approves; the hospital records surgery,
 * the county's settlement refusal is shown, the hospital records a follow-up on a 375 px phone; a
 * manager finds an overdue case in the stuck-case list and reassigns it; the manager reads the
 * yearly report, opens the cases behind a figure and downloads it (Excel, CSV); the manager sees
 * each caseworker's workload and hands a departed caseworker's tasks over (refusals per case
 * shown, then a handover to 100 %); a caseworker of another village cannot open the case; a
 * revoked session returns to sign-in with the reason; admin pages; the manager dashboard shows the
 * server's summary (GET /monitoring/summary); a township officer signs in, opens an inbox task and
 * approves it with a note by keyboard alone (visible focus asserted on every control used); the
 * app switched to English (inbox, case page, kept over a reload); the admin creates, renames,
 * deactivates and reactivates an org unit through its forms.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workbook } from 'exceljs';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { hashPassword } from '../../src/auth/passwords';
import { createCampaign, createHospital, createPerson, createStaff, createTree, makeResidentId, shanghaiDay, type Tree } from '../setup/fixtures';
import { startHarness, TEST_PASSWORD, type Client, type Harness } from '../setup/harness';
import { openTask, until } from '../setup/waits';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
const SHOTS = join(process.env.TEST_ARTIFACTS_DIR ?? join(__dirname, '..', '..', 'test-artifacts'), 'screenshots');
const WEB_INDEX = join(__dirname, '..', '..', 'dist', 'web', 'index.html');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

jest.setTimeout(120_000);

interface U {
  id: string;
  username: string;
  name: string;
}

let h: Harness;
let tree: Tree;
let hospital: string;
let browser: Browser;
const users: Record<string, U> = {};
const pages: Record<string, Page> = {};
const contexts: BrowserContext[] = [];
const cspViolations: string[] = [];
const axeReport: Record<string, number> = {};
let caseId = '';
let caseNo = '';

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: the browser tests need Debian's chromium (apt-get install -y chromium; scripts/test.sh installs it when run as root) or CHROMIUM_PATH`);
  }
  if (!existsSync(WEB_INDEX)) throw new Error(`${WEB_INDEX} is missing: build the web app first (npm run build:web; scripts/test.sh runs npm run build)`);
  mkdirSync(SHOTS, { recursive: true });
  // Some scenarios put the county's child rehabilitation on a compressed calendar (a month in seconds), as a
  // training stack does; the admin then edits that county's settings, so the api must accept it.
  h = await startHarness('browser', { ALLOW_COMPRESSED_CALENDAR: 'true' });
  tree = await createTree(h.ds);
  hospital = (await createHospital(h.ds, tree.county.code)).id;
  await createCampaign(h.ds, tree.county.code, { registrationStart: shanghaiDay(-30), registrationEnd: shanghaiDay(30), screeningStart: shanghaiDay(-20) });
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const mk = async (key: string, role: string, org: string, name: string, partnerId?: string) => {
    const s = await createStaff(h.ds, { role, orgUnitCode: org, partnerId, passwordHash, name, username: `${key}-${tree.county.code}`.toLowerCase() });
    users[key] = { id: s.id, username: s.username, name };
  };
  await mk('cw', 'village_caseworker', tree.villageA1.code, '王村委');
  await mk('cwother', 'village_caseworker', tree.villageA2.code, '李村委');
  await mk('town1', 'township_officer', tree.townshipA.code, '赵镇干');
  await mk('town2', 'township_officer', tree.townshipA.code, '钱镇干');
  await mk('town3', 'township_officer', tree.townshipB.code, '冯镇干');
  await mk('county', 'county_officer', tree.county.code, '孙县干');
  await mk('doctor', 'partner_staff', tree.county.code, '周医生', hospital);
  await mk('manager', 'manager', tree.county.code, '吴主任');
  await mk('admin', 'admin', tree.county.code, '郑管理');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
});

/** A test that, when it fails, photographs every open page (failed-<user>.png) to show why. */
function scenario(name: string, fn: () => Promise<void>) {
  test(name, async () => {
    try {
      await fn();
    } catch (err) {
      for (const [k, p] of Object.entries(pages)) await p.screenshot({ path: join(SHOTS, `failed-${k}.png`), fullPage: true }).catch(() => undefined);
      throw err;
    }
  });
}

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await h?.close();
  if (Object.keys(axeReport).length) console.log(`axe (serious+critical violations per page): ${JSON.stringify(axeReport)}`);
});

async function newPage(opts: { width?: number; height?: number; mobile?: boolean } = {}): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 },
    isMobile: opts.mobile,
    hasTouch: opts.mobile,
    deviceScaleFactor: opts.mobile ? 2 : 1,
    locale: 'zh-CN',
    timezoneId: 'America/New_York', // the app must show Asia/Shanghai times whatever the browser's zone
  });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(30_000); // generous: the test machine is shared and often loaded
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy|Refused to (load|execute|apply|connect)/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on('pageerror', (e) => cspViolations.push(`page error: ${e.message}`));
  return page;
}

async function signIn(page: Page, key: string) {
  await page.goto(`${h.base}/app/signin`);
  await page.getByLabel('用户名').fill(users[key].username);
  await page.getByLabel('密码').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/app/signin'));
}

async function pageFor(key: string, opts?: { width?: number; height?: number; mobile?: boolean }): Promise<Page> {
  if (!pages[key]) {
    pages[key] = await newPage(opts);
    await signIn(pages[key], key);
  }
  return pages[key];
}

/** Checks an option of an antd button-style radio group (the input itself is visually hidden). */
async function pickRadio(scope: Locator | Page, group: string, option: string | RegExp) {
  await scope.getByRole('radiogroup', { name: group }).locator('label').filter({ hasText: option }).first().click();
}

/**
 * Picks an option of an antd Select (its listbox is virtual: click the visible item), and checks
 * that the Select now shows it: on a loaded machine a click can land while the list still moves,
 * so it tries again (up to 3 times) instead of going on with the old value.
 */
async function choose(page: Page, combobox: Locator, option: string | RegExp) {
  const select = await combobox.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]').elementHandle();
  const shows = async () => {
    const text = (await select?.textContent().catch(() => null)) ?? '';
    return typeof option === 'string' ? text.includes(option) : option.test(text);
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    await (attempt ? page.waitForTimeout(500) : Promise.resolve());
    if (attempt && (await shows())) return;
    await (attempt === 0 || !select ? combobox.click() : select.click());
    // This Select's own list (another Select's list may still be closing on the page, its options hidden).
    const listId = (await combobox.getAttribute('aria-controls').catch(() => null)) ?? `${await combobox.getAttribute('id').catch(() => '')}_list`;
    const own = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').filter({ has: page.locator(`[id="${listId}"]`) });
    const dropdown = (await own.count()) ? own : page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await dropdown.locator('.ant-select-item-option').filter({ hasText: option }).first().click();
    for (let i = 0; i < 10 && !(await shows()); i++) await page.waitForTimeout(100);
    if (!select || (await shows())) return;
  }
  throw new Error(`the Select does not show ${option} after 3 tries`);
}

/** Waits for loading to finish, writes a screenshot, and asserts no serious/critical axe violation. */
async function check(page: Page, name: string) {
  // (not 'networkidle': the notification stream keeps a connection open)
  await page.waitForLoadState('load');
  await page.locator('.ant-spin-spinning, [role="status"]:has(.ant-spin)').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
  await page.waitForTimeout(400); // antd motion
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  // axe via the DevTools protocol (page.evaluate), which the page's CSP does not govern.
  await page.evaluate(AXE_SOURCE);
  const result: any = await page.evaluate(
    'axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] })',
  );
  const bad = result.violations.filter((v: any) => v.impact === 'serious' || v.impact === 'critical');
  axeReport[name] = bad.length;
  const text = bad.map((v: any) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')).join('\n    ')}`).join('\n');
  expect(`${name}: ${bad.length} serious/critical\n${text}`).toBe(`${name}: 0 serious/critical\n`);
}

async function apiClient(key: string): Promise<Client> {
  const r = await h.client().post('/auth/login', { username: users[key].username, password: TEST_PASSWORD });
  if (r.status !== 200) throw new Error(`login ${key}: ${JSON.stringify(r.body)}`);
  return h.client(r.body.accessToken);
}

/** The case page of `page`, reloaded until the task card of `step` is there. */
async function caseWithTask(page: Page, step: RegExp) {
  for (let i = 0; i < 20; i++) {
    await page.goto(`${h.base}/app/cases/${caseId}`);
    await page
      .getByRole('heading', { name: `个案 ${caseNo}` })
      .waitFor()
      .catch(async (e) => {
        console.log(`case page ${page.url()} shows: ${(await page.locator('main').innerText().catch(() => '')).slice(0, 300)}`);
        throw e;
      });
    if (await page.locator('.task-card').filter({ hasText: step }).count()) return page.locator('.task-card').filter({ hasText: step }).first();
    await page.waitForTimeout(300);
  }
  throw new Error(`no task card ${step}`);
}

scenario('sign-in: Chinese by default, English available, wrong password explained', async () => {
  const page = await newPage();
  const res = await page.goto(`${h.base}/app/signin`);
  expect(res?.status()).toBe(200);
  // helmet's default CSP, unchanged: external scripts only; antd's CSS-in-JS needs inline <style>,
  // which the default style-src already allows.
  const csp = res?.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self'(;|$)/);
  expect(csp).toMatch(/style-src [^;]*'unsafe-inline'/);
  await expect(page.getByRole('heading', { name: '登录' }).isVisible()).resolves.toBe(true);
  await check(page, '01-signin-zh');

  // by keyboard: focus the language switch, open it, move to English, choose it
  await page.getByRole('combobox', { name: '语言' }).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(await page.evaluate('document.documentElement.lang')).toBe('en');
  await check(page, '02-signin-en');
  await choose(page, page.getByRole('combobox', { name: 'Language' }), '中文');
  await page.getByRole('heading', { name: '登录' }).waitFor();

  await page.getByLabel('用户名').fill(users.cw.username);
  await page.getByLabel('密码').fill('wrong-password');
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();

  // the api is not shadowed: JSON clients still get JSON 404s and the docs
  expect((await h.client().get('/app/inbox')).status).toBe(404);
  expect((await h.client().get('/health')).body).toEqual({ status: 'ok' });
  expect((await fetch(`${h.base}/api/docs`, { headers: { accept: 'text/html' } })).headers.get('content-type')).toMatch(/html/);
  expect((await fetch(`${h.base}/inbox`, { headers: { accept: 'text/html' } })).status).toBe(401);
});

scenario('a caseworker registers a person (ID checked as typed) and starts a cataract case after the pre-check', async () => {
  const page = await pageFor('cw');
  await page.getByRole('heading', { name: '我的待办' }).waitFor();
  await check(page, '03-caseworker-inbox');

  await page.getByRole('menuitem', { name: '新建个案' }).click();
  await page.getByRole('heading', { name: '新建白内障个案' }).waitFor();
  await page.getByRole('button', { name: '登记新人员' }).click();
  const residentId = makeResidentId('360121', '1948-03-02', 100 + Math.floor(Math.random() * 800));
  const wrong = residentId.slice(0, 17) + (residentId[17] === '0' ? '1' : '0');
  const idInput = page.getByLabel('身份证号');
  await idInput.fill(wrong);
  await page.getByText('校验码不正确，请核对身份证号').waitFor();
  await idInput.fill(residentId);
  await page.getByText('身份证号格式与校验码正确').waitFor();
  await page.locator('#register-person_name').fill('张桂兰');
  await page.getByRole('checkbox', { name: '低保', exact: true }).check();
  await check(page, '04-new-case-register-person');
  await page.locator('form[id="register-person"] button[type="submit"]').click();
  await page.getByText('已选择：张桂兰').first().waitFor();

  await page.getByRole('button', { name: '资格预审' }).click();
  await page.getByRole('heading', { name: '预审结果（逐条说明）' }).waitFor();
  await expect(page.locator('.rules-list li').count()).resolves.toBe(4);
  await page.getByText('符合条件，可以登记').waitFor();
  await check(page, '05-new-case-precheck');

  await page.getByRole('button', { name: '登记个案' }).click();
  await page.waitForURL(/\/app\/cases\/[0-9a-f-]{36}$/);
  caseId = page.url().split('/').pop()!;
  const h1 = page.getByRole('heading', { level: 1, name: /^个案 CAT-/ });
  await h1.waitFor();
  const heading = await h1.textContent();
  caseNo = heading!.replace('个案 ', '').trim();
  expect(caseNo).toMatch(/^CAT-\d{4}-\d{6}$/);
  // masked ID for the caseworker; dates in Chinese format (Asia/Shanghai)
  await page.getByText(/^\d{6}\*{8}\d{3}[\dX]$/).waitFor();
  await page.getByText(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/).first().waitFor();
  await check(page, '06-case-registered');
});

scenario('the township officer screens and verifies, the caseworker chooses the hospital, the county officer approves', async () => {
  const town = await pageFor('town1');
  await town.getByRole('heading', { name: '我的待办' }).waitFor();
  const row = town.getByRole('row').filter({ hasText: caseNo });
  await row.waitFor();
  await expect(row.getByText('初筛').isVisible()).resolves.toBe(true);
  await row.getByRole('link', { name: /打开/ }).click();
  const screening = await caseWithTask(town, /初筛/);
  await pickRadio(screening, '是否适合手术', '是');
  await pickRadio(screening, '手术眼别', '右眼');
  await screening.getByLabel('裸眼视力（0–2）').fill('0.05');
  await check(town, '07-case-screening-form');
  await screening.getByRole('button', { name: /提\s*交/ }).click();
  await town.getByText('记录已提交').first().waitFor();

  const cw = await pageFor('cw');
  const choice = await caseWithTask(cw, /选择定点医院/);
  await choice.locator('label').filter({ hasText: /测试医院/ }).first().click();
  await choice.getByRole('button', { name: /提\s*交/ }).click();
  await cw.getByText('记录已提交').first().waitFor();

  const doctor = await apiClient('doctor');
  const pre = await openTask(doctor, caseId, 'pre_op_check');
  expect((await doctor.post(`/cases/${caseId}/tasks/${pre.taskId}/decision`, { action: 'submit', data: { fit: true, eye: 'right' } })).status).toBe(200);

  const verify = await caseWithTask(town, /乡镇审核/);
  await verify.getByRole('button', { name: '同意', exact: true }).click();
  const dialog = town.getByRole('dialog');
  await dialog.getByRole('button', { name: '同意', exact: true }).click();
  await town.getByText('已提交：同意').first().waitFor();

  const county = await pageFor('county');
  const approval = await caseWithTask(county, /县残联审批/);
  await check(county, '08-case-county-approval');
  // a return without a reason is explained beside the field (no uncaught error), then cancelled
  await approval.getByRole('button', { name: '退回补充材料' }).click();
  const ret = county.getByRole('dialog', { name: '退回补充材料' });
  await ret.getByRole('button', { name: '退回补充材料' }).click();
  await ret.getByText('请填写理由').waitFor();
  await ret.getByRole('button', { name: /取\s*消/ }).click();
  await ret.waitFor({ state: 'hidden' });
  await county.waitForTimeout(200);
  expect(cspViolations.filter((v) => v.startsWith('page error'))).toEqual([]);
  await approval.getByRole('button', { name: '同意', exact: true }).click();
  await county.getByRole('dialog').getByRole('button', { name: '同意', exact: true }).click();
  await county.getByText('已提交：同意').first().waitFor();
  // the county officer may see the full resident ID
  await county.getByText(/^\d{17}[\dX]$/).waitFor();
  // the notifications about the case (here the task assignments), per channel, beside its timeline
  const sent = county.locator('.case-deliveries');
  await sent.getByRole('cell', { name: '新任务', exact: true }).first().waitFor();
  await expect(sent.getByRole('cell', { name: '站内消息', exact: true }).first().isVisible()).resolves.toBe(true);
  await expect(sent.getByText('已送达').first().isVisible()).resolves.toBe(true);
});

scenario('the hospital records surgery; a refused settlement shows the server reason; a follow-up is recorded on a 375 px phone', async () => {
  const doc = await pageFor('doctor');
  const surgery = await caseWithTask(doc, /^手术/);
  await surgery.getByLabel('手术日期').fill(shanghaiDay(-1));
  await pickRadio(surgery, '手术眼别', '右眼');
  await pickRadio(surgery, '是否植入人工晶体', '是');
  await surgery.getByLabel(/晶体型号/).fill('IOL');
  await check(doc, '09-case-surgery-form');
  await surgery.getByRole('button', { name: /提\s*交/ }).click();
  await doc.getByText('记录已提交').first().waitFor();

  const county = await pageFor('county');
  const settlement = await caseWithTask(county, /费用结算/);
  await settlement.getByLabel('结算金额（元）').fill('99999');
  await settlement.getByRole('button', { name: /提\s*交/ }).click();
  await settlement.getByRole('alert').filter({ hasText: '结算金额须在 1400 至 2050 元之间' }).waitFor();
  await check(county, '10-case-settlement-refused');
  await settlement.getByLabel('结算金额（元）').fill('1800');
  await settlement.getByRole('button', { name: /提\s*交/ }).click();
  await county.getByText('记录已提交').first().waitFor();

  // the hospital's doctor on a phone
  const phone = await newPage({ width: 375, height: 812, mobile: true });
  pages['doctor-phone'] = phone;
  await signIn(phone, 'doctor');
  await phone.getByRole('heading', { name: '我的待办' }).waitFor();
  await phone.getByRole('button', { name: '菜单' }).click();
  await phone.getByRole('menuitem', { name: '随访' }).click();
  await phone.getByRole('heading', { name: '随访安排' }).waitFor();
  const item = phone.locator('.fu-item').filter({ hasText: '术后第1天随访' }).filter({ hasText: caseNo });
  await item.waitFor();
  await check(phone, '11-followups-375');
  await item.getByRole('link', { name: /记录随访/ }).click();
  await phone.getByRole('heading', { name: '随访记录' }).waitFor();
  await pickRadio(phone, '是否联系到本人', '是');
  await phone.getByLabel('裸眼视力（0–2）').fill('0.4');
  await phone.getByLabel(/矫正视力/).fill('0.6');
  await phone.getByLabel(/随访记录/).fill('视力恢复良好');
  const width = await phone.evaluate('document.documentElement.scrollWidth');
  expect(width).toBeLessThanOrEqual(375);
  await check(phone, '12-visit-form-375');
  await phone.getByRole('button', { name: /提\s*交/ }).click();
  await phone.waitForURL(/\/app\/followups$/);
  await phone.getByText('随访已记录').first().waitFor();

  const detail = (await (await apiClient('county')).get(`/cases/${caseId}`)).body;
  expect(detail.tasks.find((t: any) => t.step === 'followup_day1').status).toBe('completed');
  expect(detail.timeline.some((e: any) => e.type === 'task_submitted' && e.step === 'followup_day1' && e.data.uncorrectedAcuity === 0.4)).toBe(true);
});

scenario('a manager finds an overdue case in the stuck-case list and reassigns it', async () => {
  const cw = await apiClient('cw');
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path, { birth: '1950-07-08' });
  const started = await cw.post('/cases', { programme: 'cataract', personId: person.id });
  expect(started.status).toBe(201);
  const overdueCase = started.body.caseId as string;
  const overdueNo = started.body.caseNo as string;
  const task = await openTask(cw, overdueCase, 'screening');
  // The workflow owns the task (its due time and escalation timers live in Temporal), so making it
  // overdue in SQL only changes the read model that the lists and the monitor read: enough to
  // show the manager an overdue case, and the workflow itself still accepts the reassignment.
  await h.ds.query(
    `UPDATE task SET due_at = now() - interval '2 days', due_date = (now() AT TIME ZONE 'Asia/Shanghai')::date - 2, overdue = true WHERE id = $1`,
    [task.taskId],
  );

  const page = await pageFor('manager');
  await page.waitForURL(/\/app\/dashboard$/);
  await page.getByRole('row').filter({ hasText: overdueNo }).waitFor();
  await page.locator('.chart svg').first().waitFor();
  // the figures are the server's (GET /monitoring/summary), the trend's numbers also in a table
  const summary = (await (await apiClient('manager')).get('/monitoring/summary')).body;
  const stat = (title: string) => page.locator('.ant-statistic').filter({ has: page.getByText(title, { exact: true }) }).locator('.ant-statistic-content');
  await expect(stat('办理中个案').textContent()).resolves.toBe(String(summary.openCases.total));
  await expect(stat('逾期任务').textContent()).resolves.toBe(String(summary.counts.overdue));
  await expect(stat('各项目办理中个案：白内障复明').textContent()).resolves.toBe(String(summary.openCases.byProgramme.find((p: any) => p.programme === 'cataract').open));
  await expect(page.locator('.chart[role="img"]').first().getAttribute('aria-label')).resolves.toMatch(/时限达标趋势图：最近 12 周/);
  await page.getByRole('button', { name: '以表格查看图表数据' }).click();
  const trendRows = page.locator('.ant-collapse').getByRole('row').filter({ hasText: /\d{4}年\d{1,2}月\d{1,2}日/ });
  await trendRows.first().waitFor();
  await expect(trendRows.count()).resolves.toBe(12);
  await check(page, '13-manager-dashboard');

  // The stuck-case list of the monitoring page (GET /monitoring/stuck), nothing else, leads to it.
  await page.getByRole('menuitem', { name: '滞留与瓶颈' }).click();
  await page.getByRole('heading', { name: '滞留个案与瓶颈热力图' }).waitFor();
  const live = page.locator('.monitoring-live');
  await live.waitFor();
  const stuckList = live.locator('.ant-card').filter({ has: page.getByRole('heading', { name: '滞留任务' }) });
  await stuckList.getByRole('radiogroup', { name: '滞留任务' }).locator('label').filter({ hasText: /^已逾期/ }).click();
  const row = stuckList.getByRole('row').filter({ hasText: overdueNo });
  await row.waitFor();
  await expect(row.getByRole('cell', { name: '初筛', exact: true }).isVisible()).resolves.toBe(true);
  // the why-stuck line comes from the server: waiting on the township, past its time limit
  await expect(row.textContent()).resolves.toMatch(/「初筛」待乡镇残联（甲镇）办理.*已超期/);
  await check(page, '13b-manager-stuck-list');

  await row.getByRole('link', { name: `处理：${overdueNo}` }).click();
  await page.waitForURL(new RegExp(`/app/cases/${overdueCase}$`));
  const card = page.locator('.task-card').filter({ hasText: '初筛' });
  await card.getByRole('button', { name: '重新分派' }).click();
  const dialog = page.getByRole('dialog');
  await choose(page, dialog.getByRole('combobox', { name: '分派给' }), /钱镇干/);
  await check(page, '14-manager-reassign');
  await dialog.getByRole('button', { name: '重新分派' }).click();
  await page.getByText('已提交：重新分派').first().waitFor();
  await page.getByText('重新分派', { exact: true }).first().waitFor();
  const after = (await cw.get(`/cases/${overdueCase}`)).body;
  expect(after.tasks.find((t: any) => t.taskId === task.taskId).assigneeUserId).toBe(users.town2.id);
});

scenario('a manager reads the yearly report, opens the cases behind a figure and downloads it as Excel and CSV', async () => {
  const year = Number(shanghaiDay(0).slice(0, 4));
  // What the report must say: cataract cases registered this year (Asia/Shanghai) in the county.
  const [{ n: registered }] = await h.ds.query(
    `SELECT count(*)::int AS n FROM case_file WHERE programme = 'cataract' AND org_path LIKE $1 AND opened_at >= $2::timestamptz AND opened_at < $3::timestamptz`,
    [`${tree.county.path}%`, `${year}-01-01T00:00:00+08:00`, `${year + 1}-01-01T00:00:00+08:00`],
  );
  expect(registered).toBeGreaterThanOrEqual(2);

  const page = await pageFor('manager');
  await page.getByRole('menuitem', { name: '年度报表' }).click();
  await page.getByRole('heading', { name: '年度工作汇总报表' }).waitFor();
  await expect(page.getByRole('combobox', { name: '年份' }).isVisible()).resolves.toBe(true);
  await expect(page.getByRole('combobox', { name: '所属单位' }).isVisible()).resolves.toBe(true);
  const cataract = page.locator('.report-programme').filter({ has: page.getByRole('heading', { name: '白内障复明' }) });
  const figure = cataract.getByRole('button', { name: /^登记立案/ });
  await figure.waitFor();
  await expect(figure.locator('.figure-value').textContent()).resolves.toMatch(new RegExp(`^${registered}\\s*例$`));
  await check(page, '26-yearly-report');

  // by keyboard: the figure is a button; Enter opens the cases behind it
  await figure.focus();
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: /登记立案/ });
  await drawer.waitFor();
  await drawer.getByText(`${registered} 个病例`).waitFor();
  await drawer.getByRole('link', { name: caseNo, exact: true }).waitFor();
  await check(page, '27-yearly-report-drilldown');
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' });

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载 Excel/ }).click()]);
  expect(xlsx.suggestedFilename()).toBe(`yearly-report-${tree.county.code}-${year}.xlsx`);
  const wb = new Workbook();
  await wb.xlsx.readFile(await xlsx.path());
  const ws = wb.getWorksheet('年度工作汇总');
  expect(ws).toBeDefined();
  const rows: unknown[][] = [];
  ws!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  const line = rows.find((r) => r[3] === '白内障复明' && r[4] === '登记立案');
  expect(line?.slice(0, 2)).toEqual([year, tree.county.code]);
  expect(line?.[5]).toBe(registered);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载 CSV/ }).click()]);
  expect(csv.suggestedFilename()).toBe(`yearly-report-${tree.county.code}-${year}.csv`);
  const text = readFileSync(await csv.path(), 'utf8');
  expect(text.startsWith('\uFEFF年度,单位编码,单位名称,项目,指标,数值')).toBe(true);
  expect(text).toContain(`${year},${tree.county.code},`);
  expect(text).toMatch(new RegExp(`,白内障复明,登记立案,${registered},例,`));
});

scenario('a manager sees each caseworker\'s workload and hands a departed caseworker\'s tasks over, watching the progress', async () => {
  // 钱镇干 holds the overdue screening task reassigned above and claims one more: the one who leaves.
  const cw = await apiClient('cw');
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path, { birth: '1951-02-03' });
  const started = await cw.post('/cases', { programme: 'cataract', personId: person.id });
  expect(started.status).toBe(201);
  const handedCase = started.body.caseId as string;
  const task = await openTask(cw, handedCase, 'screening');
  const town2 = await apiClient('town2');
  expect((await town2.post(`/cases/${handedCase}/tasks/${task.taskId}/claim`, {})).status).toBe(200);
  let held: { task_id: string; case_no: string; overdue: boolean }[] = [];
  for (let i = 0; i < 100 && !held.some((r) => r.task_id === task.taskId); i++) {
    held = await h.ds.query(`SELECT t.id AS task_id, c.case_no, t.due_at < now() AS overdue FROM task t JOIN case_file c ON c.id = t.case_id WHERE t.status = 'open' AND t.assignee_user_id = $1`, [users.town2.id]);
    if (!held.some((r) => r.task_id === task.taskId)) await new Promise((res) => setTimeout(res, 100));
  }
  expect(held.map((r) => r.task_id)).toContain(task.taskId);

  const page = await pageFor('manager');
  await page.getByRole('menuitem', { name: '工作量与批量移交' }).click();
  await page.getByRole('heading', { name: '工作量与批量移交' }).waitFor();
  const person2 = page.locator('.workload-table').getByRole('row').filter({ hasText: '钱镇干' });
  await person2.waitFor();
  // columns: name, role, unit, open, due this week, overdue, oldest since
  await expect(person2.locator('td').nth(3).textContent()).resolves.toBe(String(held.length));
  await expect(person2.locator('td').nth(5).textContent()).resolves.toBe(String(held.filter((r) => r.overdue).length));
  await check(page, '28-workload');

  // First to an officer of another township: the case workflows refuse each task, with the reason.
  await person2.getByRole('button', { name: '移交：钱镇干' }).click();
  // the row's button takes the keyboard to the form, with the person filled in
  await page.waitForFunction('document.activeElement && document.activeElement.id === "bulk-from"');
  await page.locator('.bulk-form .ant-select').filter({ hasText: '钱镇干' }).first().waitFor();
  await choose(page, page.getByRole('combobox', { name: '接手人员' }), /冯镇干/);
  await page.getByRole('button', { name: '移交全部待办' }).click();
  let confirm = page.getByRole('dialog', { name: '确认批量移交' });
  await confirm.getByText(`将 钱镇干 手中的 ${held.length} 项待办全部移交给 冯镇干？`).waitFor();
  await check(page, '29-bulk-reassign-confirm');
  await confirm.getByRole('button', { name: '确认移交' }).click();
  const panel = page.locator('.operation-panel');
  await panel.getByText('已完成', { exact: false }).first().waitFor({ timeout: 60_000 });
  await panel.getByText('100%').waitFor();
  await panel.getByText(`已处理 ${held.length} / ${held.length}：移交 0，跳过 0，失败 ${held.length}`).waitFor();
  const failures = panel.locator('.bulk-failures');
  for (const r of held) {
    const f = failures.getByRole('row').filter({ hasText: r.case_no });
    await f.waitFor();
    await expect(f.textContent()).resolves.toContain('所选人员的角色或辖区与该任务不符');
  }
  await check(page, '30-bulk-reassign-failures');

  // Then to 赵镇干 of the same township: every task moves; the progress reaches 100 %.
  await choose(page, page.getByRole('combobox', { name: '离岗人员' }), /钱镇干/);
  await choose(page, page.getByRole('combobox', { name: '接手人员' }), /赵镇干/);
  await page.getByRole('button', { name: '移交全部待办' }).click();
  confirm = page.getByRole('dialog', { name: '确认批量移交' });
  await confirm.getByRole('button', { name: '确认移交' }).click();
  await panel.getByText(`已处理 ${held.length} / ${held.length}：移交 ${held.length}，跳过 0，失败 0`).waitFor({ timeout: 60_000 });
  await panel.getByText('100%').waitFor();
  await expect(panel.locator('.bulk-failures').count()).resolves.toBe(0);
  await check(page, '31-bulk-reassign-done');

  // The task shows its new assignee, in the api and on the case page.
  const after = (await cw.get(`/cases/${handedCase}`)).body;
  expect(after.tasks.find((t: any) => t.taskId === task.taskId).assigneeUserId).toBe(users.town1.id);
  const card = await (async () => {
    for (let i = 0; i < 20; i++) {
      await page.goto(`${h.base}/app/cases/${handedCase}`);
      const c = page.locator('.task-card').filter({ hasText: '初筛' });
      await c.waitFor();
      if (await c.getByText('赵镇干').count()) return c;
      await page.waitForTimeout(300);
    }
    throw new Error('the case page never showed the new assignee');
  })();
  await expect(card.getByText('赵镇干').isVisible()).resolves.toBe(true);
});

scenario('a caseworker of another village cannot open the case', async () => {
  const page = await pageFor('cwother');
  await page.goto(`${h.base}/app/cases/${caseId}`);
  await page.getByRole('heading', { name: '找不到该个案' }).waitFor();
  await page.getByText('该个案不存在，或不在您的管辖范围内，您无权查看。').waitFor();
  await check(page, '15-case-not-in-scope');
});

scenario('a revoked session returns to sign-in with the reason, then back to the same page', async () => {
  const page = await pageFor('cw');
  await page.goto(`${h.base}/app/cases`);
  await page.getByRole('heading', { name: '个案列表' }).waitFor();
  await page.getByRole('link', { name: caseNo, exact: true }).waitFor();
  await check(page, '16-cases-list');
  await h.ds.query(`UPDATE auth_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [users.cw.id]);
  await page.getByRole('menuitem', { name: '待办' }).click();
  await page.waitForURL(/\/app\/signin$/);
  await page.getByText('已退出登录').waitFor();
  await check(page, '17-signin-session-ended');
  await page.getByLabel('用户名').fill(users.cw.username);
  await page.getByLabel('密码').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL(/\/app\/inbox$/);
});

scenario('notifications, stuck cases and bottlenecks, and the admin pages are usable and accessible', async () => {
  const town = await pageFor('town1');
  await town.goto(`${h.base}/app/notifications`);
  await town.getByRole('heading', { name: '通知' }).waitFor();
  await town.locator('.ant-list-item').first().waitFor();
  await check(town, '18-notifications');

  const manager = await pageFor('manager');
  await manager.goto(`${h.base}/app/monitoring`);
  await manager.getByRole('heading', { name: '滞留个案与瓶颈热力图' }).waitFor();
  // The live monitor (GET /monitoring/summary, /stuck, /bottlenecks): no stand-in is accepted.
  await manager.locator('.monitoring-live').waitFor();
  await manager.getByRole('radiogroup', { name: '滞留任务' }).waitFor();
  await manager.locator('.monitoring-live .chart svg').first().waitFor();
  await check(manager, '19-monitoring');

  const admin = await pageFor('admin');
  await admin.waitForURL(/\/app\/admin\/users$/);
  await admin.getByRole('row').filter({ hasText: users.doctor.username }).waitFor();
  await check(admin, '20-admin-users');
  await admin.goto(`${h.base}/app/admin/org-units`);
  await admin.getByRole('tree').waitFor();
  await admin.getByText(/甲镇/).first().click();
  await admin.getByText(`/${tree.city.code}/${tree.county.code}/${tree.townshipA.code}/`).waitFor();
  await check(admin, '21-admin-org-units');
  await admin.goto(`${h.base}/app/admin/partners`);
  // the agreement's services by name, not as codes (cataract_screening, …)
  await admin.getByRole('row').filter({ hasText: '测试医院' }).filter({ hasText: '白内障筛查、白内障手术' }).first().waitFor();
  await expect(admin.getByRole('cell', { name: /cataract_/ }).count()).resolves.toBe(0);
  await check(admin, '22-admin-partners');
  await admin.goto(`${h.base}/app/admin/calendar`);
  await admin.getByRole('heading', { name: '工作日历' }).waitFor();
  await admin.getByText('数据来源').first().waitFor();
  await check(admin, '23-admin-calendar');
  await admin.goto(`${h.base}/app/admin/programmes`);
  await admin.getByRole('heading', { name: '项目设置' }).waitFor();
  // with no version yet, the empty table says that the built-in defaults apply
  if (!(await (await apiClient('admin')).get('/admin/programme-configs')).body.items.length) {
    await admin.getByText(/尚未新建设置版本：各辖区现按内置默认设置办理/).waitFor();
  }
  await admin.getByRole('button', { name: '新建设置版本' }).click();
  await admin.getByRole('dialog').getByLabel('生效日期').waitFor();
  await check(admin, '24-admin-programme-settings');

  // 200 % zoom of a 1280×860 window is a 640×430 CSS viewport: the layout reflows (menu in a
  // drawer), nothing but data tables scrolls sideways.
  const zoomed = await newPage({ width: 640, height: 430 });
  pages['town1-zoomed'] = zoomed;
  await signIn(zoomed, 'town1');
  await zoomed.getByRole('heading', { name: '我的待办' }).waitFor();
  expect(await zoomed.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(640);
  await zoomed.getByRole('button', { name: '菜单' }).click();
  await zoomed.getByRole('menuitem', { name: '随访' }).waitFor();
  await check(zoomed, '25-inbox-200pct-zoom-menu');

  expect(cspViolations).toEqual([]);
});

// ---- child rehabilitation and training ---------------------------------------------------------

/** The case page of `id`, reloaded until the task card of `step` is there. */
async function taskCard(page: Page, id: string, no: string, step: RegExp) {
  for (let i = 0; i < 40; i++) {
    await page.goto(`${h.base}/app/cases/${id}`);
    await page.getByRole('heading', { name: `个案 ${no}` }).waitFor();
    const card = page.locator('.task-card').filter({ hasText: step });
    if (await card.count()) return card.first();
    await page.waitForTimeout(500);
  }
  throw new Error(`no task card ${step}`);
}

/** The pre-check rule `rule` as the page shows it now. */
const ruleItem = (page: Page, rule: string, ok: boolean) => page.locator(`.rules-list li[data-rule="${rule}"][data-ok="${ok}"]`);

let rehabInstitution = '';
let rehabCaseId = '';
let rehabCaseNo = '';

scenario('a caseworker starts a child-rehabilitation case through its form, the pre-check rules updating as it fills', async () => {
  // A hearing-rehabilitation centre of the county, and its staff; this county runs the programme on
  // a compressed calendar (a month is 4 s, a year an hour) so that, whatever today's date, the year has months left.
  rehabInstitution = randomUUID();
  await h.ds.query(
    `INSERT INTO partner (id, name, kind, org_unit_code, services, capacity, agreement_start, agreement_end, status)
     VALUES ($1,'测试听力康复中心','rehab_institution',$2,$3,10,'2020-01-01','2099-12-31','active')`,
    [rehabInstitution, tree.county.code, ['rehab_hearing', 'rehab_speech']],
  );
  await h.ds.query(
    `INSERT INTO programme_config (programme, org_unit_code, effective_from, version, settings) VALUES ('child_rehab', $1, $2, $3, $4)`,
    [tree.county.code, shanghaiDay(-1), `child_rehab@${tree.county.code}@web`, JSON.stringify({ steps: {}, rules: { compressedCalendar: { monthSeconds: 4, yearSeconds: 3600 } } })],
  );
  const s = await createStaff(h.ds, { role: 'partner_staff', orgUnitCode: tree.county.code, partnerId: rehabInstitution, passwordHash: await hashPassword(TEST_PASSWORD), name: '陈康复', username: `rehab-${tree.county.code}` });
  users.rehab = { id: s.id, username: s.username, name: '陈康复' };
  // The child, registered with the guardian (the person record is the api's, as the register form would send it).
  const birth = `${Number(shanghaiDay(0).slice(0, 4)) - 3}-05-10`;
  const child = await (await apiClient('cw')).post('/persons', {
    residentId: makeResidentId('360121', birth, 200 + Math.floor(Math.random() * 700)),
    name: '刘小宝',
    hukouOrgCode: tree.villageA1.code,
    hardship: ['dibao'],
    guardian: { name: '刘丽华', relation: '母亲', phone: '13900000000' },
  });
  expect(child.status).toBe(201);

  const page = await pageFor('cw');
  await page.goto(`${h.base}/app/new-case`);
  await page.getByRole('heading', { name: '新建白内障个案' }).waitFor();
  await pickRadio(page, '服务项目', '0–6岁儿童康复救助');
  await page.getByRole('heading', { name: '新建儿童康复救助个案' }).waitFor();
  await page.getByLabel('查找已登记人员').fill('刘小宝');
  await page.getByRole('button', { name: /搜\s*索/ }).click();
  await page.getByRole('button', { name: /^选择 刘小宝/ }).click();
  await page.getByText('已选择：刘小宝').first().waitFor();
  await page.getByText('刘丽华').first().waitFor(); // the guardian on record

  // the category: the pre-check runs by itself and explains what is still missing
  await pickRadio(page, '残疾类别', '听力');
  await ruleItem(page, 'evidence', false).waitFor();
  await ruleItem(page, 'institution', false).getByText('须选择定点康复机构').waitFor();
  await ruleItem(page, 'guardian', true).waitFor();
  await ruleItem(page, 'age', true).waitFor();
  await page.getByText('未通过').first().waitFor();
  await expect(page.getByRole('button', { name: '登记个案' }).isDisabled()).resolves.toBe(true);

  // a hospital diagnosis: the evidence rule turns green once hospital and date are there
  await page.getByLabel('诊断医院').fill('省儿童医院');
  await page.getByLabel('诊断日期').fill(shanghaiDay(-30));
  await ruleItem(page, 'evidence', true).getByText(/省儿童医院/).waitFor();
  // a hearing aid as well, and the institution (only those offering hearing rehabilitation are listed)
  await page.getByRole('checkbox', { name: '助听器' }).check();
  await page.getByRole('radiogroup', { name: '定点康复机构' }).locator('label').filter({ hasText: '测试听力康复中心' }).click();
  await ruleItem(page, 'institution', true).waitFor();
  await ruleItem(page, 'needs', true).getByText(/hearing_aid/).waitFor();
  await page.getByText('符合条件，可以登记').first().waitFor();
  expect(await page.locator('.rules-list li[data-ok="false"]').count()).toBe(0);
  await page.getByText('预审已更新：9 条规则中 9 条通过').waitFor(); // announced to screen readers (role=status)
  await check(page, '32-new-case-child-rehab');

  await page.getByRole('button', { name: '登记个案' }).click();
  await page.waitForURL(/\/app\/cases\/[0-9a-f-]{36}$/);
  rehabCaseId = page.url().split('/').pop()!;
  const heading = await page.getByRole('heading', { level: 1, name: /^个案 CHR-/ }).textContent();
  rehabCaseNo = heading!.replace('个案 ', '').trim();
  const county = await apiClient('county');
  await openTask(county, rehabCaseId, 'county_review');
  const detail = (await county.get(`/cases/${rehabCaseId}`)).body;
  expect(detail.case.programme).toBe('child_rehab');
  expect(detail.timeline.find((e: any) => e.type === 'case_opened').data).toMatchObject({ category: 'hearing', institution: '测试听力康复中心' });
});

scenario('the rehabilitation institution records the intake assessment, a month of progress, the end assessment and its bill through their forms', async () => {
  expect(rehabCaseId).not.toBe('');
  const county = await apiClient('county');
  const review = await openTask(county, rehabCaseId, 'county_review');
  expect((await county.post(`/cases/${rehabCaseId}/tasks/${review.taskId}/decision`, { action: 'approve' })).status).toBe(200);

  const staff = await pageFor('rehab');
  const card = await taskCard(staff, rehabCaseId, rehabCaseNo, /入训评估/);
  // what the workflow would refuse is caught here first: goals are required
  await card.getByRole('button', { name: /提\s*交/ }).click();
  await card.getByText('必填：康复训练目标').waitFor();
  await card.getByLabel('康复训练目标').fill('能分辨常见环境声音；配合助听器完成每日听觉训练');
  await card.getByLabel('计划训练月数').fill('1');
  await card.getByLabel(/评估所见/).fill('双耳中度听力损失，佩戴助听器后可应答');
  await check(staff, '33-rehab-intake-form');
  await card.getByRole('button', { name: /提\s*交/ }).click();
  await staff.getByText('记录已提交').first().waitFor();

  const detail = (await county.get(`/cases/${rehabCaseId}`)).body;
  expect(detail.tasks.find((t: any) => t.step === 'intake_assessment').status).toBe('completed');
  const submitted = detail.timeline.find((e: any) => e.type === 'task_submitted' && e.step === 'intake_assessment');
  expect(submitted.data).toMatchObject({ assessedOn: shanghaiDay(0), plannedMonths: 1 });

  // the month's progress: attendance days (0–31) and progress on the goals
  const progress = await taskCard(staff, rehabCaseId, rehabCaseNo, /月度训练记录/);
  await progress.getByLabel('本月出勤天数').fill('20');
  await progress.getByLabel('训练目标进展').fill('能对名字作出反应');
  await progress.getByRole('button', { name: /提\s*交/ }).click();
  await staff.getByText('记录已提交').first().waitFor();

  // the end assessment: effective or not
  const end = await taskCard(staff, rehabCaseId, rehabCaseNo, /期末评估/);
  await pickRadio(end, '康复效果', '有效');
  await end.getByRole('button', { name: /提\s*交/ }).click();
  await staff.getByText('记录已提交').first().waitFor();

  // the bill: an item not approved for this child is refused by the workflow with its reason
  const bill = await taskCard(staff, rehabCaseId, rehabCaseNo, /机构费用申报/);
  await choose(staff, bill.getByRole('combobox', { name: '费用项目' }), '人工耳蜗');
  await bill.getByLabel('金额（元）').fill('8000');
  await bill.getByRole('button', { name: /提\s*交/ }).click();
  await bill.getByRole('alert').filter({ hasText: '该儿童未核定“人工耳蜗”项目' }).waitFor();
  await check(staff, '36-rehab-bill-refused');
  await choose(staff, bill.getByRole('combobox', { name: '费用项目' }), '康复训练');
  await bill.getByLabel(/发票号/).fill('FP2026001');
  await bill.getByRole('button', { name: /提\s*交/ }).click();
  await staff.getByText('记录已提交').first().waitFor();

  await openTask(county, rehabCaseId, 'settlement_check');
  const after = (await county.get(`/cases/${rehabCaseId}`)).body;
  const rec = (step: string) => after.timeline.find((e: any) => e.type === 'task_submitted' && e.step === step)?.data;
  expect(rec('progress')).toMatchObject({ attendanceDays: 20, goals: '能对名字作出反应' });
  expect(rec('end_assessment')).toMatchObject({ effective: true, assessedOn: shanghaiDay(0) });
  expect(rec('bill')).toMatchObject({ item: 'training', amount: 8000, invoiceNo: 'FP2026001' });

  // The case page shows the child's service year as fields: the months allowed, used and left, and
  // per approved item the amounts in yuan (the bill awaits the county's check: nothing settled yet,
  // its 8000 under review and no longer available to another bill).
  const cw = await pageFor('cw');
  await cw.goto(`${h.base}/app/cases/${rehabCaseId}`);
  const year = cw.getByRole('region', { name: '康复服务年度' });
  const field = (label: string) => year.locator('.ant-descriptions-item').filter({ hasText: label });
  await field('剩余月数').getByText('9 个月').waitFor();
  await expect(field('年度训练月数上限').textContent()).resolves.toContain('10 个月');
  await expect(field('已用月数').textContent()).resolves.toContain('1 个月');
  await expect(field('当前康复机构').textContent()).resolves.toContain('测试听力康复中心');
  const itemRow = (name: string) => year.getByRole('row').filter({ hasText: name });
  await expect(itemRow('康复训练').textContent()).resolves.toBe('康复训练¥15,000.00¥0.00¥8,000.00¥7,000.00');
  await expect(itemRow('助听器').textContent()).resolves.toBe('助听器¥6,000.00¥0.00¥0.00¥6,000.00');
  await expect(itemRow('合计').textContent()).resolves.toBe('合计¥21,000.00¥0.00¥8,000.00¥13,000.00');
  await year.getByRole('columnheader', { name: '审核中' }).waitFor();
  await check(cw, '36b-rehab-service-year');
  // the timeline names the workflow's fields (no raw keys such as year, outOfArea, institution)
  const timeline = await cw.getByRole('region', { name: '办理记录' }).innerText();
  expect(timeline).toContain('服务年度：');
  expect(timeline).toContain('异地安置：否');
  expect(timeline).not.toMatch(/(year|outOfArea|institution|category|receivedAt|partnerId)：/);
});

let trainingInstitution = '';

scenario('a caseworker starts a training case through its form', async () => {
  const institution = randomUUID();
  trainingInstitution = institution;
  await h.ds.query(
    `INSERT INTO partner (id, name, kind, org_unit_code, services, capacity, agreement_start, agreement_end, status)
     VALUES ($1,'测试职业技能培训学校','training_institution',$2,$3,NULL,'2020-01-01','2099-12-31','active')`,
    [institution, tree.county.code, ['vocational_training']],
  );
  const course = await (await apiClient('county')).post('/training/courses', {
    name: '电子商务技能培训班',
    type: 'ecommerce',
    orgUnitCode: tree.county.code,
    institutionId: institution,
    startDate: shanghaiDay(10),
    endDate: shanghaiDay(30),
    hours: 60,
    places: 5,
    location: '县职业技能培训学校 3 楼',
  });
  expect(course.status).toBe(201);
  const residentId = makeResidentId('360121', '1994-04-05', 100 + Math.floor(Math.random() * 800));
  const person = await (await apiClient('cw')).post('/persons', { residentId, name: '黄志强', hukouOrgCode: tree.villageA1.code, disabilityCertNo: `${residentId}43` });
  expect(person.status).toBe(201);

  const page = await pageFor('cw');
  await page.goto(`${h.base}/app/new-case`);
  await pickRadio(page, '服务项目', '培训就业');
  await page.getByRole('heading', { name: '新建培训就业个案' }).waitFor();
  await page.getByLabel('查找已登记人员').fill('黄志强');
  await page.getByRole('button', { name: /搜\s*索/ }).click();
  await page.getByRole('button', { name: /^选择 黄志强/ }).click();
  await page.getByText('已选择：黄志强').first().waitFor();

  await choose(page, page.getByRole('combobox', { name: '培训班' }), '电子商务技能培训班');
  await page.getByText('尚余 5 / 5 个名额').waitFor();
  await ruleItem(page, 'certificate', true).waitFor();
  await ruleItem(page, 'course_open', true).waitFor();
  await ruleItem(page, 'education', false).getByText('请填写文化程度').waitFor();
  await choose(page, page.getByRole('combobox', { name: '文化程度' }), '初中');
  await ruleItem(page, 'education', true).waitFor();
  await pickRadio(page, '生活能否自理', '是');
  await ruleItem(page, 'self_care', true).waitFor();
  await page.getByText('符合条件，可以登记').first().waitFor();
  await page.getByText('预审已更新：7 条规则中 7 条通过').waitFor();
  await check(page, '34-new-case-training');

  await page.getByRole('button', { name: '登记个案' }).click();
  await page.waitForURL(/\/app\/cases\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { level: 1, name: /^个案 TRN-/ }).waitFor();
  const id = page.url().split('/').pop()!;
  const detail = (await (await apiClient('county')).get(`/cases/${id}`)).body;
  expect(detail.case.programme).toBe('training');
  expect(detail.case.data.course.name).toBe('电子商务技能培训班');
  await openTask(await apiClient('county'), id, 'county_approval');

  // the admin can now write a training settings version from its defaults
  const admin = await pageFor('admin');
  await admin.goto(`${h.base}/app/admin/programmes`);
  await admin.getByRole('button', { name: '新建设置版本' }).click();
  const dialog = admin.getByRole('dialog');
  await choose(admin, dialog.getByRole('combobox', { name: '项目' }), '培训就业');
  await dialog.getByLabel('最低文化程度').waitFor();
  await dialog.getByLabel('当地月最低工资（元）').fill('2000');
  await choose(admin, dialog.getByRole('combobox', { name: '辖区' }), `（${tree.county.code}）`);
  await check(admin, '35-admin-programme-settings-training');
  await dialog.getByRole('button', { name: /新\s*建/ }).click();
  await admin.getByText(/已创建版本 training@/).first().waitFor();
  const configs = (await (await apiClient('admin')).get('/admin/programme-configs?programme=training')).body.items;
  const saved = configs.find((c: any) => c.orgUnitCode === tree.county.code);
  expect(saved.settings.amounts.minimumWage).toBe(2000);
  expect(saved.settings.rules.minEducation).toBe('primary');
  expect(Object.keys(saved.settings.steps)).toContain('job_match');
  expect(cspViolations).toEqual([]);
});

scenario('the training institution records attendance and the assessment, the county a job match, the caseworker the answer, all through their forms', async () => {
  expect(trainingInstitution).not.toBe('');
  const county = await apiClient('county');
  const cw = await apiClient('cw');
  // a one-week course that ends today: its only attendance period can be recorded now
  const course = await county.post('/training/courses', {
    name: '盲人按摩培训班',
    type: 'blind_massage',
    orgUnitCode: tree.county.code,
    institutionId: trainingInstitution,
    startDate: shanghaiDay(-6),
    endDate: shanghaiDay(0),
    hours: 40,
    places: 5,
    location: '县盲人按摩指导中心',
  });
  expect(course.status).toBe(201);
  const residentId = makeResidentId('360121', '1990-08-09', 100 + Math.floor(Math.random() * 800));
  const person = await cw.post('/persons', { residentId, name: '林明', hukouOrgCode: tree.villageA1.code, disabilityCertNo: `${residentId}12` });
  expect(person.status).toBe(201);
  const started = await cw.post('/cases', { programme: 'training', personId: person.body.id, details: { courseId: course.body.id, education: 'primary', selfCare: true } });
  expect(started.status).toBe(201);
  const id = started.body.caseId as string;
  const no = started.body.caseNo as string;
  const approval = await openTask(county, id, 'county_approval');
  expect((await county.post(`/cases/${id}/tasks/${approval.taskId}/decision`, { action: 'approve' })).status).toBe(200);
  const s = await createStaff(h.ds, { role: 'partner_staff', orgUnitCode: tree.county.code, partnerId: trainingInstitution, passwordHash: await hashPassword(TEST_PASSWORD), name: '何老师', username: `trainer-${tree.county.code}` });
  users.trainer = { id: s.id, username: s.username, name: '何老师' };

  // attendance: more than the course hours + 10 % is the workflow's refusal, shown with its limit
  const trainer = await pageFor('trainer');
  const att = await taskCard(trainer, id, no, /考勤记录/);
  await att.getByLabel('本期出勤课时').fill('50');
  await att.getByRole('button', { name: /提\s*交/ }).click();
  await att.getByRole('alert').filter({ hasText: '课时最多 44' }).waitFor();
  await att.getByLabel('本期出勤课时').fill('38');
  await att.getByRole('button', { name: /提\s*交/ }).click();
  await trainer.getByText('记录已提交').first().waitFor();

  // the assessment, with a skills certificate (number format checked as the workflow does)
  const assess = await taskCard(trainer, id, no, /结业考核/);
  await pickRadio(assess, '考核结果', '合格');
  await assess.getByLabel(/成绩/).fill('86');
  await pickRadio(assess, '是否取得职业技能证书', '是');
  await assess.getByLabel('证书编号').fill('ZS 01');
  await choose(trainer, assess.getByRole('combobox', { name: '证书等级' }), '五级/初级工');
  await assess.getByRole('button', { name: /提\s*交/ }).click();
  await assess.getByText('证书编号为 4–40 位字母、数字或 -').waitFor();
  await assess.getByLabel('证书编号').fill('ZS2026-0001');
  await check(trainer, '37-training-assessment-form');
  await assess.getByRole('button', { name: /提\s*交/ }).click();
  await trainer.getByText('记录已提交').first().waitFor();

  // the county's employment service: a public-welfare post
  const countyPage = await pageFor('county');
  const match = await taskCard(countyPage, id, no, /就业推荐/);
  await pickRadio(match, '安置方式', '公益性岗位');
  await match.getByLabel('公益性岗位名称').fill('社区保洁员');
  await match.getByLabel('开始日期').fill(shanghaiDay(0));
  await match.getByLabel(/月收入/).fill('1900');
  await check(countyPage, '38-training-job-match-form');
  await match.getByRole('button', { name: /提\s*交/ }).click();
  await countyPage.getByText('记录已提交').first().waitFor();

  // the caseworker records the trainee's answer
  const cwPage = await pageFor('cw');
  const answer = await taskCard(cwPage, id, no, /本人答复/);
  await pickRadio(answer, '本人是否接受岗位', '接受');
  await answer.getByRole('button', { name: /提\s*交/ }).click();
  await cwPage.getByText('记录已提交').first().waitFor();

  let detail: any;
  for (let i = 0; i < 50; i++) {
    detail = (await county.get(`/cases/${id}`)).body;
    if (detail.timeline.some((e: any) => e.type === 'placed')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const event = (type: string) => detail.timeline.find((e: any) => e.type === type);
  expect(event('certificate_issued').data).toMatchObject({ number: 'ZS2026-0001', level: 'level5' });
  expect(event('offer_made').data).toMatchObject({ channel: 'public_welfare', post: '社区保洁员', monthlyPay: 1900, startDate: shanghaiDay(0) });
  expect(event('offer_accepted')).toBeTruthy();
  expect(event('placed')).toBeTruthy();
  expect(cspViolations).toEqual([]);
});

describe('editing a person after registration', () => {
  scenario('a guardian missing from the child-rehabilitation form is added in the edit-person dialog, without leaving the form', async () => {
    const birth = `${Number(shanghaiDay(0).slice(0, 4)) - 2}-08-08`;
    const name = `周${randomUUID().slice(0, 4)}`;
    const child = await (await apiClient('cw')).post('/persons', {
      residentId: makeResidentId('360121', birth, 100 + Math.floor(Math.random() * 800)),
      name,
      hukouOrgCode: tree.villageA1.code,
    });
    expect(child.status).toBe(201);

    const page = await pageFor('cw');
    await page.goto(`${h.base}/app/new-case`);
    await page.getByRole('heading', { name: '新建白内障个案' }).waitFor();
    await pickRadio(page, '服务项目', '0–6岁儿童康复救助');
    await page.getByLabel('查找已登记人员').fill(name);
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    await page.getByRole('button', { name: new RegExp(`^选择 ${name}`) }).click();
    await page.getByText('该儿童的人员信息中没有监护人').waitFor();

    await page.getByRole('button', { name: '编辑人员信息' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/身份证号码 .* 不能在此修改/).waitFor();
    await dialog.getByLabel('监护人/代理人姓名').fill('周敏');
    await dialog.getByLabel('与本人关系').fill('母亲');
    await dialog.getByLabel('残疾人证号').fill('BAD');
    await check(page, '46-person-edit-dialog');
    // the server's refusal is shown at the field, and nothing is saved
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText('残疾人证号').first().waitFor();
    await dialog.locator('.ant-form-item-explain-error').first().waitFor();
    expect((await (await apiClient('cw')).get(`/persons/${child.body.id}`)).body.guardian).toBeNull();
    await dialog.getByLabel('残疾人证号').fill('');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('周敏').first().waitFor(); // the form now shows the guardian on record
    expect(await page.getByText('该儿童的人员信息中没有监护人').count()).toBe(0);
    expect((await (await apiClient('cw')).get(`/persons/${child.body.id}`)).body.guardian).toMatchObject({ name: '周敏', relation: '母亲' });
    expect(cspViolations).toEqual([]);
  });
});

// ---- keyboard only, English, admin org units ----------------------------------------------------

/**
 * Presses Tab (Shift+Tab with back) until the focused element satisfies `test`, a JavaScript
 * expression over `el` evaluated in the page; fails after `max` presses.
 */
async function tabTo(page: Page, test: string, opts: { back?: boolean; max?: number } = {}) {
  for (let i = 0; i < (opts.max ?? 150); i++) {
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    if (await page.evaluate(`(() => { const el = document.activeElement; return !!el && el !== document.body && !!(${test}); })()`)) return;
  }
  throw new Error(`keyboard focus never reached: ${test}`);
}

/** The focused element shows a visible focus indicator (the app's :focus-visible outline). */
async function expectVisibleFocus(page: Page, what: string) {
  const f: any = await page.evaluate(`(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return { what: ${JSON.stringify(what)}, focusVisible: el.matches(':focus-visible'), outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2, onScreen: r.width > 0 && r.height > 0 };
  })()`);
  expect(f).toEqual({ what, focusVisible: true, outline: true, onScreen: true });
}

const js = (s: string) => JSON.stringify(s);

scenario('keyboard only: a township officer signs in, opens an inbox task and approves it with a note', async () => {
  // a case waiting for the township's review
  const cw = await apiClient('cw');
  const town = await apiClient('town1');
  const doctor = await apiClient('doctor');
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path, { birth: '1949-11-12' });
  const started = await cw.post('/cases', { programme: 'cataract', personId: person.id });
  expect(started.status).toBe(201);
  const id = started.body.caseId as string;
  const no = started.body.caseNo as string;
  const decide = async (c: Client, step: string, body: unknown) => {
    const t = await openTask(c, id, step);
    expect((await c.post(`/cases/${id}/tasks/${t.taskId}/decision`, body)).status).toBe(200);
  };
  await decide(town, 'screening', { action: 'submit', data: { suitable: true, eye: 'left', uncorrectedAcuity: 0.1 } });
  await decide(cw, 'hospital_choice', { action: 'submit', data: { partnerId: hospital } });
  await decide(doctor, 'pre_op_check', { action: 'submit', data: { fit: true, eye: 'left' } });
  const verify = await openTask(town, id, 'township_verify');

  const page = await newPage();
  pages['town1-keyboard'] = page;
  await page.goto(`${h.base}/app/signin`);
  await page.getByRole('heading', { name: '登录' }).waitFor();
  // sign in: Tab to the fields, type, Enter
  await tabTo(page, `el.matches('input[autocomplete="username"]')`);
  await expectVisibleFocus(page, 'username');
  await page.keyboard.type(users.town1.username);
  await tabTo(page, `el.matches('input[autocomplete="current-password"]')`);
  await expectVisibleFocus(page, 'password');
  await page.keyboard.type(TEST_PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => !u.pathname.startsWith('/app/signin'));
  await page.getByRole('heading', { name: '我的待办' }).waitFor();
  await page.getByRole('row').filter({ hasText: no }).waitFor();

  // the inbox row's "open" link, then Enter
  await tabTo(page, `el.matches('a') && (el.getAttribute('aria-label') || '').startsWith('打开 ' + ${js(no)})`);
  await expectVisibleFocus(page, 'inbox open link');
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/app/cases/${id}$`));
  await page.getByRole('heading', { name: `个案 ${no}` }).waitFor();
  const card = page.locator('.task-card').filter({ hasText: '乡镇审核' });
  await card.getByRole('button', { name: '同意', exact: true }).waitFor();

  // the review card's approve button (one past it, and back with Shift+Tab)
  const onApprove = `el.matches('button') && el.textContent.replace(/\\s/g, '') === '同意' && !!el.closest('.task-card') && el.closest('.task-card').textContent.includes('乡镇审核')`;
  await tabTo(page, onApprove);
  await page.keyboard.press('Tab');
  await expectVisibleFocus(page, 'reject button');
  await tabTo(page, onApprove, { back: true, max: 3 });
  await expectVisibleFocus(page, 'approve button');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  // the note field has the focus: type the note, Tab to the dialog's approve button, Space
  await page.waitForFunction(`document.activeElement && document.activeElement.matches('.ant-modal textarea')`);
  await expectVisibleFocus(page, 'note field');
  const note = '材料齐全，经键盘审核同意';
  await page.keyboard.type(note);
  await tabTo(page, `el.matches('.ant-modal-footer button.ant-btn-primary')`, { max: 6 });
  await expectVisibleFocus(page, 'dialog approve button');
  await check(page, '40-keyboard-decision');
  await page.keyboard.press('Space');
  await page.getByText('已提交：同意').first().waitFor();

  // the decision reached the server
  const after = (await town.get(`/cases/${id}`)).body;
  const task = after.tasks.find((t: any) => t.taskId === verify.taskId);
  expect(task.status).toBe('completed');
  const decided = after.timeline.find((e: any) => e.type === 'task_decided' && e.taskId === verify.taskId);
  expect(decided).toMatchObject({ decision: 'approve', reason: note, actor: { id: users.town1.id } });
  expect(cspViolations).toEqual([]);
});

scenario('English: the language switch in the app turns the inbox and the case page into English, and survives a reload', async () => {
  expect(caseId).not.toBe('');
  const page = await newPage();
  pages['cw-english'] = page;
  await signIn(page, 'cw');
  await page.getByRole('heading', { name: '我的待办' }).waitFor();
  await choose(page, page.getByRole('combobox', { name: '语言' }), 'English');
  await page.getByRole('heading', { name: 'My inbox' }).waitFor();
  expect(await page.evaluate('document.documentElement.lang')).toBe('en');
  await page.getByRole('menuitem', { name: 'Inbox' }).waitFor();
  await page.getByRole('columnheader', { name: 'Due', exact: true }).waitFor();
  await check(page, '41-inbox-en');
  // the account follows (PUT /auth/me/locale): e-mail, SMS and in-app messages now come in English
  const accountLocale = async () => (await h.ds.query(`SELECT locale FROM staff_user WHERE username = $1`, [users.cw.username]))[0].locale;
  await until(async () => ((await accountLocale()) === 'en' ? true : undefined), 10_000, 'the account language');

  // the choice is kept (localStorage): after a reload the inbox is still in English
  await page.reload();
  await page.getByRole('heading', { name: 'My inbox' }).waitFor();
  expect(await page.evaluate('document.documentElement.lang')).toBe('en');
  await expect(page.getByRole('heading', { name: '我的待办' }).count()).resolves.toBe(0);

  await page.goto(`${h.base}/app/cases/${caseId}`);
  await page.getByRole('heading', { level: 1, name: `Case ${caseNo}` }).waitFor();
  await page.getByRole('heading', { name: 'Current step' }).waitFor();
  await page.getByText('Timeline').first().waitFor();
  await expect(page.getByText('办理记录').count()).resolves.toBe(0);
  await check(page, '42-case-en');

  // back to Chinese by the same switch
  await choose(page, page.getByRole('combobox', { name: 'Language' }), '中文');
  await page.getByRole('heading', { level: 1, name: `个案 ${caseNo}` }).waitFor();
  await until(async () => ((await accountLocale()) === 'zh-CN' ? true : undefined), 10_000, 'the account language back in Chinese');
  expect(cspViolations).toEqual([]);
});

scenario('the admin adds a township under the county and renames it through the org-unit forms', async () => {
  const admin = await pageFor('admin');
  await admin.goto(`${h.base}/app/admin/org-units`);
  const orgTree = admin.getByRole('tree');
  await orgTree.waitFor();
  await orgTree.getByText(`· ${tree.county.code}）`).first().click();
  await admin.getByText(`/${tree.city.code}/${tree.county.code}/`, { exact: true }).waitFor();
  await admin.getByRole('button', { name: '新建下级乡镇/街道' }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByText(/新建乡镇\/街道/).first().waitFor();
  const code = dialog.getByLabel('代码');
  // the format is checked as typed, as the server checks it
  await code.fill(`${tree.county.code}1`);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await dialog.locator('.ant-form-item-explain-error').filter({ hasText: `代码为 9 位数字，以上级代码 ${tree.county.code} 开头` }).waitFor();
  // a code in use: the server's refusal is shown
  await code.fill(tree.townshipA.code);
  await dialog.getByLabel('名称', { exact: true }).fill('重复乡');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await dialog.getByRole('alert').filter({ hasText: `代码 ${tree.townshipA.code} 已被使用` }).waitFor();

  const newCode = `${tree.county.code}109`;
  await code.fill(newCode);
  await dialog.getByLabel('名称', { exact: true }).fill('新设测试乡');
  await dialog.getByLabel(/英文名称/).fill('New Test Township');
  await check(admin, '43-admin-org-unit-create');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await admin.getByText(`已新建单位（${newCode}）`).first().waitFor();
  await orgTree.getByText(`新设测试乡（乡镇/街道 · ${newCode}）`).waitFor();
  await admin.getByText(`/${tree.city.code}/${tree.county.code}/${newCode}/`, { exact: true }).waitFor();
  const created = (await (await apiClient('admin')).get(`/org-units/${newCode}`)).body;
  expect(created).toMatchObject({ code: newCode, name: '新设测试乡', nameEn: 'New Test Township', level: 'township', parentCode: tree.county.code });

  // rename it
  await admin.getByRole('button', { name: '修改名称' }).click();
  const edit = admin.getByRole('dialog');
  await edit.getByLabel('名称', { exact: true }).fill('新设测试镇');
  await check(admin, '44-admin-org-unit-rename');
  await edit.getByRole('button', { name: /保\s*存/ }).click();
  await orgTree.getByText(`新设测试镇（乡镇/街道 · ${newCode}）`).waitFor();
  expect((await (await apiClient('admin')).get(`/org-units/${newCode}`)).body).toMatchObject({ name: '新设测试镇', nameEn: 'New Test Township' });

  // deactivate it (nothing below it is in use), then reactivate it
  await admin.getByRole('button', { name: /停\s*用/ }).click();
  await orgTree.getByText(`新设测试镇（乡镇/街道 · ${newCode}） · 已停用`).waitFor();
  await expect(admin.getByRole('button', { name: /新建下级/ }).count()).resolves.toBe(0);
  expect((await (await apiClient('admin')).get(`/org-units/${newCode}`)).body.active).toBe(false);
  await admin.getByRole('button', { name: '重新启用' }).click();
  await orgTree.getByText(`新设测试镇（乡镇/街道 · ${newCode}）`, { exact: true }).waitFor();
  // a township still in use: the server's refusal, with what is in use
  await orgTree.getByText(`甲镇（乡镇/街道 · ${tree.townshipA.code}）`).click();
  await admin.getByText(`/${tree.city.code}/${tree.county.code}/${tree.townshipA.code}/`, { exact: true }).waitFor();
  await admin.getByRole('button', { name: /停\s*用/ }).click();
  await admin.getByRole('alert').filter({ hasText: /甲镇（\d+）仍在使用，不能停用：下级单位 2 个/ }).waitFor();
  await check(admin, '45-admin-org-unit-in-use');
  expect((await (await apiClient('admin')).get(`/org-units/${tree.townshipA.code}`)).body.active).toBe(true);
  expect(cspViolations).toEqual([]);
});

describe('programme settings: child-rehab age limits by category', () => {
  scenario('the admin sets autism to 14 (and hearing to 18 only with a certificate) in a new version with its effective date; reload shows it, the api stores it, a refusal is shown', async () => {
    const effective = shanghaiDay(60);
    const version = `child_rehab@${tree.county.code}@${effective}`;
    const admin = await pageFor('admin');
    const openDialog = async () => {
      await admin.goto(`${h.base}/app/admin/programmes`);
      await admin.getByRole('heading', { name: '项目设置' }).waitFor();
      await admin.getByRole('button', { name: '新建设置版本' }).click();
      const dialog = admin.getByRole('dialog');
      await choose(admin, dialog.getByRole('combobox', { name: '项目' }), '0–6岁儿童康复救助');
      await choose(admin, dialog.getByRole('combobox', { name: '辖区' }), `（${tree.county.code}）`);
      return { dialog, editor: dialog.getByRole('group', { name: '分类别年龄上限' }) };
    };

    // no version of this county has age limits: the single limit applies, said so
    const { dialog, editor } = await openDialog();
    await editor.getByText('未设置：所有类别均按救助年龄上限（未满 7 周岁）。').waitFor();
    await dialog.getByLabel('生效日期').fill(effective);
    await editor.getByRole('button', { name: '添加类别年龄上限' }).click();
    const row1 = editor.getByRole('group', { name: '第 1 项年龄上限' });
    await choose(admin, row1.getByRole('combobox', { name: /残疾类别/ }), '孤独症');
    await row1.getByLabel('年龄上限（未满，周岁）').fill('14');
    await editor.getByRole('button', { name: '添加类别年龄上限' }).click();
    const row2 = editor.getByRole('group', { name: '第 2 项年龄上限' });
    await choose(admin, row2.getByRole('combobox', { name: /残疾类别/ }), '听力');
    await row2.getByLabel('年龄上限（未满，周岁）').fill('18');
    await row2.getByRole('switch', { name: '仅限持有该类别残疾人证' }).click();
    // a third row left empty is refused on the form, then removed
    await editor.getByRole('button', { name: '添加类别年龄上限' }).click();
    await dialog.getByRole('button', { name: /新\s*建/ }).click();
    await editor.getByRole('group', { name: '第 3 项年龄上限' }).locator('.ant-form-item-explain-error').first().waitFor();
    await check(admin, '47-admin-programme-age-limits');
    await editor.getByRole('button', { name: '删除第 3 项' }).click();
    expect(await editor.getByRole('group', { name: '第 3 项年龄上限' }).count()).toBe(0);
    await dialog.getByRole('button', { name: /新\s*建/ }).click();
    await admin.getByText(`已创建版本 ${version}`).first().waitFor();

    // the stored version, through the api
    const api = await apiClient('admin');
    const listed = (await api.get('/admin/programme-configs?programme=child_rehab')).body.items.find((c: any) => c.version === version);
    expect(listed).toBeTruthy();
    const stored = await api.get(`/admin/programme-configs/${listed.id}`);
    expect(stored.status).toBe(200);
    expect(stored.body.effectiveFrom).toBe(effective);
    expect(stored.body.settings.rules.ageLimits).toEqual([
      { categories: ['autism'], maxAge: 14, requiresCertificate: false },
      { categories: ['hearing'], maxAge: 18, requiresCertificate: true },
    ]);
    expect(stored.body.settings.rules.maxAge).toBe(7);

    // after a reload, a new version of the county starts from this one: its age limits are shown
    await admin.reload();
    await admin.getByText(version).first().waitFor();
    const again = await openDialog();
    const r1 = again.editor.getByRole('group', { name: '第 1 项年龄上限' });
    const r2 = again.editor.getByRole('group', { name: '第 2 项年龄上限' });
    await r1.getByText('孤独症').waitFor();
    await expect(r1.getByLabel('年龄上限（未满，周岁）').inputValue()).resolves.toBe('14');
    await expect(r1.getByRole('switch', { name: '仅限持有该类别残疾人证' }).getAttribute('aria-checked')).resolves.toBe('false');
    await r2.getByText('听力').waitFor();
    await expect(r2.getByLabel('年龄上限（未满，周岁）').inputValue()).resolves.toBe('18');
    await expect(r2.getByRole('switch', { name: '仅限持有该类别残疾人证' }).getAttribute('aria-checked')).resolves.toBe('true');
    await check(admin, '48-admin-programme-age-limits-reloaded');

    // the same effective date again: the server's refusal is shown in the dialog, nothing is written
    await again.dialog.getByLabel('生效日期').fill(effective);
    await again.dialog.getByRole('button', { name: /新\s*建/ }).click();
    await again.dialog.getByRole('alert').filter({ hasText: '已存在' }).waitFor();
    const versions = (await api.get('/admin/programme-configs?programme=child_rehab')).body.items.filter((c: any) => c.version === version);
    expect(versions).toHaveLength(1);
    expect(cspViolations).toEqual([]);
  });
});
