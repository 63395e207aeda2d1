/**
 * Database command line, shared by the local scripts, the Dockerfile and CI:
 *   node dist/src/database/cli.js migrate          run pending migrations
 *   node dist/src/database/cli.js check            exit 1 if migration:generate would produce a file
 *   node dist/src/database/cli.js generate <Name>  write src/database/migrations/<ts>-<Name>.ts
 *   node dist/src/database/cli.js seed-reference   idempotent reference data (calendar, programme defaults)
 *   node dist/src/database/cli.js seed             reference data + demo org tree, staff, people, partners
 *   node dist/src/database/cli.js seed-cases <url> demo cataract cases through the running api (once)
 *   node dist/src/database/cli.js digest [date]    queue the daily digest of [date] (default: the latest
 *                                                  working day) for the worker; idempotent per person and day
 *   node dist/src/database/cli.js pii-rotate       re-encrypt person rows under the first PII_ENCRYPTION_KEY
 * Reads DATABASE_URL, and PII_ENCRYPTION_KEY where resident IDs are written or re-encrypted
 * (migrate with existing people, seed, pii-rotate), so it runs before the rest of the configuration
 * exists (seed-cases needs only the api's base URL; digest needs REDIS_URL too).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { CalendarSource } from '../../activities/calendar';
import { verifyAuditChain } from '../audit/audit-chain';
import { shanghaiDate } from '../domain/calendar/working-days';
import { queuePrefix } from '../config/config';
import { bullOptions, DIGEST_QUEUE } from '../queues/redis';
import { PiiCipher } from '../security/pii-crypto';
import { rotatePersonPii } from '../security/pii-rotate';
import { createDataSource } from './data-source';
import { renderMigration, schemaDiff } from './schema-diff';
import { seedDemo, seedReference } from './seed';
import { seedDemoCases } from './seed/demo-cases';

async function main(argv: string[]): Promise<number> {
  const [command, arg] = argv;
  if (command === 'seed-cases') {
    const base = arg ?? process.env.API_BASE_URL;
    if (!base) {
      console.error('usage: seed-cases <apiBaseUrl> (e.g. http://127.0.0.1:3000)');
      return 2;
    }
    const r = await seedDemoCases(base, { log: (m) => console.log(m) });
    if (r.skipped) return 0;
    const states = Object.entries(r.states).map(([k, n]) => `${k} ${n}`).join(', ');
    const backlog = Object.entries(r.backlog).map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`demo cases: ${r.created} created (${states}${backlog ? `; backlog of paper applications: ${backlog}` : ''})`);
    for (const f of r.failures) console.error(`demo case failed: ${f}`);
    return r.failures.length ? 1 : 0;
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required (e.g. postgres://user:pass@127.0.0.1:5432/dpf)');
    return 2;
  }
  const ds = createDataSource(url, 2);
  await ds.initialize();
  try {
    switch (command) {
      case 'migrate': {
        const ran = await ds.runMigrations({ transaction: 'each' });
        console.log(ran.length ? `applied ${ran.map((m) => m.name).join(', ')}` : 'schema up to date');
        return 0;
      }
      case 'check': {
        const diff = await schemaDiff(ds);
        if (diff.up.length === 0) {
          console.log('entities match the migrations');
          return 0;
        }
        console.error('entities differ from the migrations; run `npm run migration:generate -- <Name>`:');
        for (const q of diff.up) console.error(`  ${q}`);
        return 1;
      }
      case 'generate': {
        if (!arg || !/^[A-Za-z][A-Za-z0-9]*$/.test(arg)) {
          console.error('usage: generate <Name> (letters and digits)');
          return 2;
        }
        const diff = await schemaDiff(ds);
        if (diff.up.length === 0) {
          console.log('no changes: nothing to generate');
          return 0;
        }
        const ts = Date.now();
        const file = join(process.cwd(), 'src', 'database', 'migrations', `${ts}-${arg}.ts`);
        writeFileSync(file, renderMigration(arg, ts, diff));
        console.log(`wrote ${file}; add it to src/database/migrations/index.ts`);
        return 0;
      }
      case 'audit-verify': {
        const r = await verifyAuditChain(ds);
        if (r.ok) {
          console.log(`audit chain intact (${r.checked} entries)`);
          return 0;
        }
        console.error(`audit chain BROKEN at entry ${r.badId}: ${r.reason} (${r.checked} entries verified before it)`);
        return 1;
      }
      case 'seed-reference':
      case 'seed': {
        await seedReference(ds);
        if (command === 'seed') await seedDemo(ds);
        console.log(command === 'seed' ? 'reference and demo data seeded' : 'reference data seeded');
        return 0;
      }
      case 'digest': {
        // The scheduler sends the digest at 08:30 on working days; this sends one now (e.g. for the
        // demo on a weekend: the latest working day's digest). Same job as the scheduler's tick.
        if (!process.env.REDIS_URL) {
          console.error('REDIS_URL is required for digest');
          return 2;
        }
        const cal = await new CalendarSource(ds).get();
        const today = shanghaiDate(new Date());
        const date = arg ?? (cal.isWorkingDay(today) ? today : cal.subtractWorkingDays(today, 1));
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
          console.error('usage: digest [YYYY-MM-DD]');
          return 2;
        }
        // Same prefix as the worker's (QUEUE_PREFIX, checked and defaulted as the worker does).
        const prefix = queuePrefix.safeParse(process.env.QUEUE_PREFIX || undefined);
        if (!prefix.success) {
          console.error(`QUEUE_PREFIX ${prefix.error.issues[0].message}`);
          return 2;
        }
        const queue = new Queue(DIGEST_QUEUE, bullOptions({ REDIS_URL: process.env.REDIS_URL, QUEUE_PREFIX: prefix.data }));
        try {
          await queue.add('digest-tick', { at: `${date}T08:30:00+08:00` }, { jobId: `manual-digest-${date}` });
        } finally {
          await queue.close();
        }
        console.log(`daily digest of ${date} queued (the worker sends it once per person)`);
        return 0;
      }
      case 'pii-rotate': {
        const cipher = PiiCipher.fromEnv();
        const r = await rotatePersonPii(ds, cipher);
        const left = Object.entries(r.remaining);
        console.log(`re-encrypted ${r.rotated} person rows under key ${cipher.currentKeyId}`);
        if (left.length) {
          console.error(`still under older keys: ${left.map(([k, n]) => `${k} ${n}`).join(', ')}`);
          return 1;
        }
        console.log('every person row is under the current key; older keys may be removed from PII_ENCRYPTION_KEY');
        return 0;
      }
      default:
        console.error('usage: cli.js migrate | check | generate <Name> | seed-reference | seed | seed-cases <apiBaseUrl> | digest [date] | audit-verify | pii-rotate');
        return 2;
    }
  } finally {
    await ds.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
