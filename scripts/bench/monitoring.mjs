#!/usr/bin/env node
// Monitoring and report benchmark (not a test): loads 1,000,000 tasks and 10,000,000 case events
// (generate_series in SQL) into Postgres and prints p50/p95 latency of
//   - the stuck-case list (first page, and a deep keyset page), for a city manager and a township manager,
//   - the bottleneck aggregation for one county and one year,
//   - the yearly report for a city,
// measured on the built services (dist/src/monitoring, dist/src/reports) as the api calls them, i.e.
// SQL + enrichment, without HTTP and authentication (a few ms more over HTTP).
// Targets: list p95 < 50 ms; aggregation and report < 2 s.
//
//   npm run bench:monitoring                          # own throw-away Postgres (+ Redis, unused)
//   BENCH_SCALE=0.1 npm run bench:monitoring          # 100,000 tasks and 1,000,000 events
//   DATABASE_URL=… npm run bench:monitoring           # an existing, migrated, EMPTY database of yours
//   BENCH_SKIP_BUILD=1 BENCH_RUNS=50 BENCH_DIST=…      # skip the TypeScript build; repetitions per query; built code elsewhere
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startStack } from '../lib/stack.mjs';
import { round, stats } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const SCALE = Number(process.env.BENCH_SCALE || 1);
const TASKS = Math.round(1_000_000 * SCALE);
const EVENTS = Math.round(10_000_000 * SCALE);
const RUNS = Number(process.env.BENCH_RUNS || 30);
/** The built code to measure (default dist/, built first unless BENCH_SKIP_BUILD). */
const DIST = path.resolve(process.env.BENCH_DIST || path.join(root, 'dist'));
const say = (m) => console.error(`\x1b[1m[bench]\x1b[0m ${m}`);

// ---------------------------------------------------------------- services
let stack = null;
let dummyTemporal = null;
let dataDir = null;
async function cleanup() {
  dummyTemporal?.close();
  if (stack) await stack.stop().catch(() => undefined);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
process.on('SIGINT', () => cleanup().finally(() => process.exit(130)));

async function database() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  // Only Postgres is used; a listening socket satisfies the stack's Temporal probe.
  dummyTemporal = net.createServer((s) => s.destroy());
  await new Promise((r) => dummyTemporal.listen(0, '127.0.0.1', r));
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpf-bench-mon-'));
  fs.chmodSync(dataDir, 0o755);
  stack = await startStack({
    root, dataDir, mode: 'test', log: say, handleSignals: false,
    env: { ...process.env, TEMPORAL_ADDRESS: `127.0.0.1:${dummyTemporal.address().port}` },
  });
  return stack.env.DATABASE_URL;
}

// ---------------------------------------------------------------- data
// 2 cities × 10 counties × 10 townships × 10 villages; 5,000 staff; 50 hospitals. Cases: about
// TASKS / 6.5 (closed cases went through all 8 steps, open ones are somewhere on the way); opened
// over the last three years; 70 % cataract, 15 % child rehab, 15 % training.
const CITIES = ['610100', '610200'];
const STEPS = [
  ['screening', 'record', 'township_officer', 3, null],
  ['hospital_choice', 'record', 'village_caseworker', 4, null],
  ['pre_op_check', 'record', 'partner_staff', 2, 'p'],
  ['township_verify', 'approval', 'township_officer', 3, null],
  ['county_approval', 'approval', 'county_officer', 2, null],
  ['surgery', 'record', 'partner_staff', 2, 'p'],
  ['settlement', 'record', 'county_officer', 2, null],
  ['confirmation', 'record', 'township_officer', 3, null],
];

function loadSql() {
  const cases = Math.round(TASKS / 6.5);
  const stepRows = STEPS.map(([s, k, r, lvl, p], i) => `(${i}, '${s}', '${k}', '${r}', ${lvl}, ${p ? 'true' : 'false'})`).join(',');
  return [
    `INSERT INTO org_unit (code, name, level, parent_code, path)
       SELECT c, '市' || c, 'city', NULL, '/' || c || '/' FROM unnest(ARRAY['${CITIES.join("','")}']) AS c`,
    `INSERT INTO org_unit (code, name, level, parent_code, path)
       SELECT substr(c, 1, 4) || lpad(k::text, 2, '0'), '县' || k, 'county', c, '/' || c || '/' || substr(c, 1, 4) || lpad(k::text, 2, '0') || '/'
       FROM unnest(ARRAY['${CITIES.join("','")}']) AS c, generate_series(1, 10) AS k`,
    `INSERT INTO org_unit (code, name, level, parent_code, path)
       SELECT o.code || lpad(t::text, 3, '0'), '镇' || t, 'township', o.code, o.path || o.code || lpad(t::text, 3, '0') || '/'
       FROM org_unit o, generate_series(1, 10) AS t WHERE o.level = 'county'`,
    `INSERT INTO org_unit (code, name, level, parent_code, path)
       SELECT o.code || lpad(v::text, 3, '0'), '村' || v, 'village', o.code, o.path || o.code || lpad(v::text, 3, '0') || '/'
       FROM org_unit o, generate_series(1, 10) AS v WHERE o.level = 'township'`,
    `DROP TABLE IF EXISTS bench_village, bench_step`,
    `CREATE UNLOGGED TABLE bench_village AS SELECT row_number() OVER (ORDER BY code) - 1 AS vi, code, path FROM org_unit WHERE level = 'village'`,
    `INSERT INTO partner (id, name, kind, org_unit_code, services, capacity, agreement_start, agreement_end, status)
       SELECT md5('partner' || i)::uuid, '医院' || i, 'hospital', o.code, ARRAY['cataract_surgery'], NULL, '2020-01-01', '2099-12-31', 'active'
       FROM generate_series(0, 49) AS i JOIN LATERAL (SELECT code FROM org_unit WHERE level = 'county' ORDER BY code OFFSET (i % 20) LIMIT 1) o ON true`,
    `INSERT INTO staff_user (id, username, display_name, password_hash, role, org_unit_code)
       SELECT md5('staff' || i)::uuid, 'bench' || i, '员工' || i, 'x', 'township_officer', v.code
       FROM generate_series(0, 4999) AS i JOIN bench_village v ON v.vi = i % 2000`,
    `CREATE UNLOGGED TABLE bench_step (si int, step text, kind text, role text, lvl int, partner boolean)`,
    `INSERT INTO bench_step VALUES ${stepRows}`,
    // cases (hash-derived spread: a volatile random() in an uncorrelated subquery is evaluated once)
    `WITH g AS (
       SELECT i, now() - ((((i::bigint * 7919) % 109500) / 100.0) * interval '1 day') AS opened,
              CASE WHEN i % 20 < 14 THEN 'cataract' WHEN i % 20 < 17 THEN 'child_rehab' ELSE 'training' END AS programme,
              abs(hashtext('c' || i)) % 1000 AS h1, abs(hashtext('d' || i)) % 8 AS h2
       FROM generate_series(0, ${cases - 1}) AS i
     ), x AS (
       SELECT g.*, (g.opened < now() - interval '100 days' AND g.h1 < 900) AS closed FROM g
     ), y AS (
       SELECT x.*, CASE WHEN x.closed THEN 8 ELSE 1 + x.h2 END AS p FROM x
     )
     INSERT INTO case_file (id, case_no, programme, person_id, org_unit_code, org_path, status, step, waiting_on, outcome, workflow_id,
                            rule_version, partner_id, data, projected_seq, opened_at, closed_at)
     SELECT md5('case' || y.i)::uuid, 'B-' || y.i,
            y.programme, md5('person' || (y.i % ${Math.max(1, Math.round(cases * 0.9))}))::uuid, v.code, v.path,
            CASE WHEN y.closed THEN 'closed' ELSE 'open' END,
            CASE WHEN y.closed THEN 'confirmation' ELSE (SELECT step FROM bench_step WHERE bench_step.si = y.p - 1) END,
            CASE WHEN y.closed THEN 'none' ELSE 'staff' END,
            CASE WHEN NOT y.closed THEN NULL WHEN y.h1 < 780 THEN 'completed' ELSE 'rejected' END,
            'case-' || md5('case' || y.i)::uuid, 'bench', md5('partner' || (y.i % 50))::uuid,
            CASE WHEN y.programme = 'cataract' AND y.p >= 7 THEN jsonb_build_object(
              'surgery', jsonb_build_object('surgeryDate', to_char(y.opened + interval '30 days', 'YYYY-MM-DD'), 'eye', 'left', 'lensImplanted', y.h1 % 100 < 93),
              'settlement', jsonb_build_object('amount', 1400 + (y.h1 * 7) % 650),
              'indicators', CASE WHEN y.closed THEN jsonb_build_object('uncorrected03At2w', y.h1 % 50 < 41, 'corrected03At2w', y.h1 % 25 < 23,
                                                                       'outOfBlindness', y.h1 % 33 < 32, 'outOfDisability', y.h1 % 10 < 8) END)
                 ELSE '{}'::jsonb END,
            1, y.opened, CASE WHEN y.closed THEN y.opened + interval '75 days' END
     FROM y JOIN bench_village v ON v.vi = y.i % 2000`,
    // tasks: steps 0 … p-1 of each case, the last one open while the case is open
    `INSERT INTO task (id, case_id, programme, step, kind, status, assignee_role, org_unit_code, org_path, partner_id, assignee_user_id,
                       due_at, due_date, overdue, decision, created_at, completed_at, projected_seq)
     SELECT c.id || '-t' || (s.si + 2), c.id, c.programme, s.step, s.kind,
            CASE WHEN c.status = 'open' AND s.si = last.p - 1 THEN 'open' ELSE 'completed' END,
            s.role, u.code, u.path, CASE WHEN s.partner THEN c.partner_id END,
            CASE WHEN random() < 0.5 THEN md5('staff' || (abs(hashtext(c.id::text)) % 5000))::uuid END,
            t.created + interval '14 days', (t.created + interval '14 days')::date, false,
            CASE WHEN c.status = 'open' AND s.si = last.p - 1 THEN NULL WHEN s.kind = 'approval' THEN 'approve' ELSE 'submit' END,
            t.created,
            CASE WHEN c.status = 'open' AND s.si = last.p - 1 THEN NULL ELSE t.created + (1 + random() * 12) * interval '1 day' END,
            1
     FROM case_file c
     CROSS JOIN LATERAL (SELECT CASE WHEN c.status = 'closed' THEN 8 ELSE (SELECT bs.si + 1 FROM bench_step bs WHERE bs.step = c.step) END AS p) last
     JOIN bench_step s ON s.si < last.p
     CROSS JOIN LATERAL (SELECT least(c.opened_at + s.si * interval '8 days', now() - (1 + abs(hashtext(c.id::text || s.si)) % 240) * interval '1 hour') AS created) t
     CROSS JOIN LATERAL (SELECT split_part(c.org_path, '/', s.lvl + 1) AS code,
                                array_to_string((string_to_array(c.org_path, '/'))[1:s.lvl + 1], '/') || '/' AS path) u`,
    // case events: 10 per … spread over the cases, unique (case_id, seq)
    `INSERT INTO case_event (case_id, seq, type, step, task_id, rule_version, data, at)
     SELECT md5('case' || (e % ${cases}))::uuid, e / ${cases} + 1,
            (ARRAY['task_opened','task_claimed','task_submitted','task_reminded','task_decided','task_escalated'])[1 + (e / ${cases}) % 6],
            'screening', NULL, 'bench', '{}'::jsonb, now() - (e % 1000) * interval '1 day'
     FROM generate_series(0, ${EVENTS - 1}) AS e`,
    `DROP TABLE bench_village, bench_step`,
  ];
}

// ---------------------------------------------------------------- main
async function main() {
  if (!process.env.BENCH_SKIP_BUILD) {
    say('building (tsc)');
    const b = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  const url = await database();
  const { createDataSource } = require(path.join(DIST, 'src/database/data-source.js'));
  const ds = createDataSource(url, 4);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  const [{ n: existing }] = await ds.query(`SELECT count(*)::int AS n FROM task`);
  if (existing > 0) throw new Error('the database already has tasks: give the benchmark an empty database');

  say(`loading ${TASKS.toLocaleString()} tasks (approx.) and ${EVENTS.toLocaleString()} case events (BENCH_SCALE=${SCALE})`);
  const t0 = Date.now();
  for (const sql of loadSql()) {
    const t = Date.now();
    await ds.query(sql);
    say(`  ${sql.trim().split('\n')[0].slice(0, 70)}… ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  await ds.query('ANALYZE');
  const [counts] = await ds.query(`SELECT (SELECT count(*) FROM task)::int AS tasks, (SELECT count(*) FROM task WHERE status = 'open')::int AS open,
                                          (SELECT count(*) FROM case_file)::int AS cases, (SELECT count(*) FROM case_event)::int AS events`);
  say(`loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`);

  const { WorkdayService } = require(path.join(DIST, 'src/monitoring/workday.service.js'));
  const { MonitoringService } = require(path.join(DIST, 'src/monitoring/monitoring.service.js'));
  const { ProgrammeSettingsService } = require(path.join(DIST, 'src/programmes/programme-settings.service.js'));
  const { YearlyReportService } = require(path.join(DIST, 'src/reports/yearly-report.service.js'));
  const workdays = new WorkdayService(ds);
  await workdays.refresh();
  const monitoring = new MonitoringService(ds, /* Temporal: not used by these queries */ null, workdays, new ProgrammeSettingsService(ds));
  const reports = new YearlyReportService(ds);

  const unit = async (level, i = 0) => (await ds.query(`SELECT code, path FROM org_unit WHERE level = $1 ORDER BY code OFFSET $2 LIMIT 1`, [level, i]))[0];
  const city = await unit('city');
  const county = await unit('county', 3);
  const township = await unit('township', 42);
  const user = (u) => ({ id: '00000000-0000-4000-8000-000000000001', username: 'bench', name: 'bench', role: 'manager', orgUnitCode: u.code, orgPath: u.path, partnerId: null, locale: 'zh-CN' });
  const lastYear = new Date().getUTCFullYear() - 1;

  // a cursor deep into the city's overdue list (row 50,000 or the middle)
  const [{ n: overdueCity }] = await ds.query(
    `SELECT count(*)::int AS n FROM task t JOIN case_file c ON c.id = t.case_id WHERE t.status = 'open' AND t.kind <> 'followup' AND t.due_at < now() AND c.org_path LIKE $1`,
    [`${city.path}%`],
  );
  const deep = Math.min(50_000, Math.floor(overdueCity / 2));
  const [row] = await ds.query(
    `SELECT t.due_at, t.id FROM task t JOIN case_file c ON c.id = t.case_id WHERE t.status = 'open' AND t.kind <> 'followup' AND t.due_at < now() AND c.org_path LIKE $1
     ORDER BY t.due_at, t.id OFFSET $2 LIMIT 1`,
    [`${city.path}%`, deep],
  );
  const cursor = Buffer.from(JSON.stringify([new Date(row.due_at).toISOString(), row.id])).toString('base64url');

  const cases = [
    ['stuck list, city, first page (overdue)', 50, RUNS, () => monitoring.stuck(user(city), { category: 'overdue', limit: 20 })],
    [`stuck list, city, keyset page at row ${deep.toLocaleString()}`, 50, RUNS, () => monitoring.stuck(user(city), { category: 'overdue', limit: 20, cursor })],
    ['stuck list, township, first page (overdue)', 50, RUNS, () => monitoring.stuck(user(township), { category: 'overdue', limit: 20 })],
    ['stuck list, city, no progress ≥ 5 wd', 50, RUNS, () => monitoring.stuck(user(city), { category: 'no_progress', limit: 20 })],
    [`bottlenecks, one county, ${lastYear}`, 2000, Math.max(5, Math.round(RUNS / 3)), () => monitoring.bottlenecks(user(county), { from: `${lastYear}-01-01`, to: `${lastYear}-12-31` })],
    [`yearly report, city, ${lastYear}`, 2000, Math.max(5, Math.round(RUNS / 3)), () => reports.report(user(city), lastYear)],
  ];
  const results = [];
  for (const [name, target, runs, fn] of cases) {
    await fn(); // warm
    const ms = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await fn();
      ms.push(performance.now() - t);
    }
    const s = stats(ms);
    results.push({ query: name, runs, 'p50 ms': round(s.p50), 'p95 ms': round(s.p95), 'target ms': `< ${target}`, ok: s.p95 < target ? 'yes' : 'NO' });
  }
  console.log(`\nMonitoring benchmark — ${counts.tasks.toLocaleString()} tasks (${counts.open.toLocaleString()} open), ${counts.cases.toLocaleString()} cases, ${counts.events.toLocaleString()} case events; ${os.cpus().length} CPUs\n`);
  console.log('| query | runs | p50 ms | p95 ms | target (p95) | met |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results) console.log(`| ${r.query} | ${r.runs} | ${r['p50 ms']} | ${r['p95 ms']} | ${r['target ms']} | ${r.ok} |`);
  await ds.destroy();
}

main()
  .then(() => cleanup())
  .catch(async (err) => {
    console.error(err instanceof Error ? err.stack : err);
    await cleanup();
    process.exit(1);
  });
