// Bench data straight in Postgres: a small real org tree with staff, a hospital and a campaign for
// the live flows, persons in bulk, and the synthetic 1,000,000-task inbox load (generate_series).
import crypto from 'node:crypto';

export const PASSWORD = 'Bench-Passw0rd!2026';

const shanghaiDay = (offset = 0) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);

/** A county with one township and two villages (codes from `prefix`, 2 digits), a hospital and a campaign. */
export async function createLiveTree(pg, prefix) {
  const city = `${prefix}0000`, county = `${prefix}0100`, township = `${county}101`;
  const villages = [`${township}201`, `${township}202`];
  const t = {
    city: { code: city, path: `/${city}/` },
    county: { code: county, path: `/${city}/${county}/` },
    township: { code: township, path: `/${city}/${county}/${township}/` },
    villages: villages.map((v) => ({ code: v, path: `/${city}/${county}/${township}/${v}/` })),
  };
  const rows = [
    [t.city.code, '压测市', 'city', null, t.city.path],
    [t.county.code, '压测县', 'county', city, t.county.path],
    [t.township.code, '压测镇', 'township', county, t.township.path],
    ...t.villages.map((v, i) => [v.code, `压测${i + 1}村`, 'village', township, v.path]),
  ];
  for (const r of rows) {
    await pg.query(`INSERT INTO org_unit (code, name, level, parent_code, path) VALUES ($1,$2,$3,$4,$5) ON CONFLICT (code) DO NOTHING`, r);
  }
  const hospital = crypto.randomUUID();
  await pg.query(
    `INSERT INTO partner (id, name, kind, org_unit_code, services, capacity, agreement_start, agreement_end, status)
     VALUES ($1,'压测医院','hospital',$2,$3,NULL,'2020-01-01','2099-12-31','active')`,
    [hospital, county, ['cataract_screening', 'cataract_surgery']],
  );
  const campaign = { id: crypto.randomUUID(), name: `压测光明行 ${shanghaiDay(-30)}`, rs: shanghaiDay(-30), re: shanghaiDay(60), ss: shanghaiDay(-20) };
  await pg.query(
    `INSERT INTO campaign (id, programme, name, org_unit_code, registration_start, registration_end, screening_start)
     VALUES ($1,'cataract',$2,$3,$4,$5,$6)`,
    [campaign.id, campaign.name, county, campaign.rs, campaign.re, campaign.ss],
  );
  return { ...t, hospital, campaign };
}

/** Staff accounts (one INSERT); returns [{ id, username, role, orgPath, partnerId }]. */
export async function createStaff(pg, passwordHash, specs) {
  const out = [];
  for (const s of specs) {
    const id = s.id ?? crypto.randomUUID();
    const username = `bench-${s.role}-${id.slice(0, 8)}`;
    await pg.query(
      `INSERT INTO staff_user (id, username, display_name, password_hash, role, org_unit_code, partner_id) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [id, username, username, passwordHash, s.role, s.unit.code, s.partnerId ?? null],
    );
    out.push({ id, username, name: username, role: s.role, orgPath: s.unit.path, partnerId: s.partnerId ?? null });
  }
  return out;
}

/**
 * Encrypted resident-ID columns for synthetic IDs `prefix + lpad(g, 14)`, g = from … from+n-1, as
 * arrays for unnest (the api decrypts them like real ones: dist/src/security/pii-crypto.js).
 */
function encryptedIds(cipher, prefix, from, n) {
  const enc = [];
  const bidx = [];
  for (let g = from; g < from + n; g++) {
    const id = prefix + String(g).padStart(14, '0');
    enc.push(cipher.encrypt('person.resident_id', id));
    bidx.push(cipher.blindIndex(id));
  }
  return { enc, bidx };
}

/** n persons in a village, unique resident ids tagged with `tag` (3 chars); returns their ids. */
export async function createPersons(pg, village, n, tag, cipher) {
  const { enc, bidx } = encryptedIds(cipher, `B${tag}`, 1, n);
  const { rows } = await pg.query(
    `INSERT INTO person (resident_id_enc, resident_id_bidx, pii_key_id, name, sex, birth_date, hukou_org_code, org_path)
     SELECT x.enc, x.bidx, $1, '压测' || x.g, 'M', date '1950-01-01' + (x.g::int % 3000), $2, $3
     FROM unnest($4::bytea[], $5::bytea[]) WITH ORDINALITY AS x(enc, bidx, g) ORDER BY x.g RETURNING id`,
    [cipher.currentKeyId, village.code, village.path, enc, bidx],
  );
  return rows.map((r) => r.id);
}

/**
 * The synthetic inbox load: `tasks` task rows (4 per case), tasks/4 cases and as many persons, in
 * 10 counties x 20 townships x 10 villages (prefix 98). 60 % of the cases are open with their 4th
 * task open; the open tasks rotate through the steps (township, village, hospital and county
 * roles) with due dates from 10 days ago to 30 days ahead. A share of the open tasks in county 1
 * is assigned to the two bench users (a caseworker in village 1 and a county officer).
 */
export async function bulkLoadInbox(pg, { tasks, tag, caseworkerId, countyOfficerId, log, cipher }) {
  const cases = Math.max(1, Math.floor(tasks / 4));
  await pg.query(`SET synchronous_commit = off`);
  await pg.query(`SET maintenance_work_mem = '256MB'`);
  const t0 = Date.now();
  await pg.query(`
    INSERT INTO org_unit (code, name, level, parent_code, path)
    SELECT '980000', '合成市', 'city', NULL, '/980000/' UNION ALL
    SELECT '98' || lpad(c::text, 2, '0') || '00', '合成县' || c, 'county', '980000', '/980000/98' || lpad(c::text, 2, '0') || '00/'
      FROM generate_series(1, 10) c UNION ALL
    SELECT '98' || lpad(c::text, 2, '0') || '00' || (100 + t), '合成镇' || t, 'township', '98' || lpad(c::text, 2, '0') || '00',
           '/980000/98' || lpad(c::text, 2, '0') || '00/98' || lpad(c::text, 2, '0') || '00' || (100 + t) || '/'
      FROM generate_series(1, 10) c, generate_series(1, 20) t UNION ALL
    SELECT '98' || lpad(c::text, 2, '0') || '00' || (100 + t) || (200 + v), '合成村' || v, 'village', '98' || lpad(c::text, 2, '0') || '00' || (100 + t),
           '/980000/98' || lpad(c::text, 2, '0') || '00/98' || lpad(c::text, 2, '0') || '00' || (100 + t) || '/98' || lpad(c::text, 2, '0') || '00' || (100 + t) || (200 + v) || '/'
      FROM generate_series(1, 10) c, generate_series(1, 20) t, generate_series(1, 10) v
    ON CONFLICT (code) DO NOTHING`);
  const partner = crypto.randomUUID();
  await pg.query(
    `INSERT INTO partner (id, name, kind, org_unit_code, services, agreement_start, agreement_end) VALUES ($1,'合成医院','hospital','980100',$2,'2020-01-01','2099-12-31')`,
    [partner, ['cataract_surgery']],
  );
  // Case g lives in county (g%2000)/200+1, township ((g%2000)/10)%20+1, village g%10+1. Its open task is
  // the caseworker's (step 1) when g%6 = 3: so the measured caseworker sits in village 4 (g%10 = 3), not 1
  // (g%10 = 0 never meets g%6 = 3, which left that inbox empty).
  const geo = `
    WITH g AS (SELECT g, ((g % 2000) / 200 + 1) AS c, (((g % 2000) / 10) % 20 + 1) AS t, (g % 10 + 1) AS v FROM generate_series(1, ${cases}) g),
    codes AS (SELECT g, '98' || lpad(c::text, 2, '0') || '00' AS county, '98' || lpad(c::text, 2, '0') || '00' || (100 + t) AS township,
                     '98' || lpad(c::text, 2, '0') || '00' || (100 + t) || (200 + v) AS village FROM g)`;
  // Resident IDs encrypted in this process (as the api stores them), inserted in chunks.
  for (let from = 1; from <= cases; from += 50_000) {
    const n = Math.min(50_000, cases - from + 1);
    const { enc, bidx } = encryptedIds(cipher, `S${tag}`, from, n);
    await pg.query(`${geo}
      INSERT INTO person (id, resident_id_enc, resident_id_bidx, pii_key_id, name, sex, birth_date, hukou_org_code, org_path)
      SELECT md5('bp' || $1 || g)::uuid, x.enc, x.bidx, $2, '合成' || (g % 1000), CASE WHEN g % 2 = 0 THEN 'M' ELSE 'F' END,
             date '1940-01-01' + (g % 12000), village, '/980000/' || county || '/' || township || '/' || village || '/'
      FROM codes JOIN unnest($3::bytea[], $4::bytea[]) WITH ORDINALITY AS x(enc, bidx, i) ON codes.g = $5::int + x.i::int - 1`,
      [tag, cipher.currentKeyId, enc, bidx, from]);
  }
  log?.(`  persons: ${cases} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  await pg.query(`${geo}
    INSERT INTO case_file (id, case_no, programme, person_id, org_unit_code, org_path, status, step, waiting_on, workflow_id, rule_version,
                           data, projected_seq, opened_at, closed_at)
    SELECT md5('bc' || $1 || g)::uuid, 'SYN-' || $1 || '-' || g, 'cataract', md5('bp' || $1 || g)::uuid, village,
           '/980000/' || county || '/' || township || '/' || village || '/',
           CASE WHEN g % 10 < 6 THEN 'open' ELSE 'closed' END, 'synthetic', 'staff', 'syn-' || $1 || '-' || g, 'bench',
           '{}'::jsonb, 8, now() - ((g % 365) || ' days')::interval, CASE WHEN g % 10 < 6 THEN NULL ELSE now() END
    FROM codes`, [tag]);
  log?.(`  cases: ${cases} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  // Step rotation: 0 screening (township), 1 hospital_choice (village), 2 pre_op (hospital),
  // 3 township_verify (township), 4 county_approval (county), 5 settlement (county).
  await pg.query(`${geo},
    rows AS (
      SELECT g, k, county, township, village, md5('bc' || $1 || g)::uuid AS case_id, (g + k) % 6 AS s,
             (k = 4 AND g % 10 < 6) AS open,
             now() + (((g * 7 + k) % 40) - 10) * interval '1 day' + (g % 86400) * interval '1 second' AS due
      FROM codes, generate_series(1, 4) k)
    INSERT INTO task (id, case_id, programme, step, kind, status, assignee_role, org_unit_code, org_path, partner_id, assignee_user_id,
                      due_at, due_date, overdue, created_at, completed_at, decision, projected_seq)
    SELECT case_id::text || '-t' || k, case_id, 'cataract',
           (ARRAY['screening','hospital_choice','pre_op_check','township_verify','county_approval','settlement'])[s + 1],
           CASE WHEN s IN (3, 4) THEN 'approval' ELSE 'record' END,
           CASE WHEN open THEN 'open' ELSE 'completed' END,
           (ARRAY['township_officer','village_caseworker','partner_staff','township_officer','county_officer','county_officer'])[s + 1],
           CASE WHEN s IN (0, 3) THEN township WHEN s = 1 THEN village ELSE county END,
           CASE WHEN s IN (0, 3) THEN '/980000/' || county || '/' || township || '/'
                WHEN s = 1 THEN '/980000/' || county || '/' || township || '/' || village || '/'
                ELSE '/980000/' || county || '/' END,
           CASE WHEN s = 2 THEN $2::uuid END,
           CASE WHEN open AND s = 1 AND village = '980100101204' AND g % 3 = 0 THEN $3::uuid
                WHEN open AND s IN (4, 5) AND county = '980100' AND g % 5 = 0 THEN $4::uuid END,
           due, (due AT TIME ZONE 'Asia/Shanghai')::date, false, due - interval '10 days',
           CASE WHEN open THEN NULL ELSE due - interval '5 days' END, CASE WHEN open THEN NULL ELSE 'submit' END, 8
    FROM rows`, [tag, partner, caseworkerId, countyOfficerId]);
  log?.(`  tasks: ${cases * 4} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  await pg.query(`ANALYZE org_unit; ANALYZE person; ANALYZE case_file; ANALYZE task; ANALYZE staff_user`);
  const [{ n: open }] = (await pg.query(`SELECT count(*)::int AS n FROM task WHERE status = 'open'`)).rows;
  const [{ n: total }] = (await pg.query(`SELECT count(*)::int AS n FROM task`)).rows;
  return { cases, tasks: total, openTasks: open, loadSeconds: (Date.now() - t0) / 1000 };
}

/** The api's inbox cursor for the row `depth` rows into a user's visible open tasks (same format as src/common/keyset.ts). */
export async function cursorAtDepth(pg, { userId, role, orgPath, depth }) {
  const { rows } = await pg.query(
    `SELECT t.due_at, t.id FROM task t
     WHERE t.status = 'open' AND (t.assignee_user_id = $1 OR (t.assignee_user_id IS NULL AND t.partner_id IS NULL AND t.assignee_role = $2 AND t.org_path LIKE $3))
     ORDER BY t.due_at, t.id OFFSET $4 LIMIT 1`,
    [userId, role, `${orgPath}%`, depth - 1],
  );
  if (!rows[0]) return null;
  return Buffer.from(JSON.stringify([new Date(rows[0].due_at).toISOString(), rows[0].id])).toString('base64url');
}

export async function visibleOpenTasks(pg, { userId, role, orgPath }) {
  const { rows } = await pg.query(
    `SELECT count(*)::int AS n FROM task t
     WHERE t.status = 'open' AND (t.assignee_user_id = $1 OR (t.assignee_user_id IS NULL AND t.partner_id IS NULL AND t.assignee_role = $2 AND t.org_path LIKE $3))`,
    [userId, role, `${orgPath}%`],
  );
  return rows[0].n;
}
