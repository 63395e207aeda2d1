/**
 * Database command line, shared by the local scripts, the Dockerfile and CI:
 *   node dist/src/database/cli.js migrate          run pending migrations
 *   node dist/src/database/cli.js check            exit 1 if migration:generate would produce a file
 *   node dist/src/database/cli.js generate <Name>  write src/database/migrations/<ts>-<Name>.ts
 *   node dist/src/database/cli.js seed-reference   idempotent reference data (calendar, programme defaults)
 *   node dist/src/database/cli.js seed             reference data + demo org tree, staff, people, partners
 * Reads DATABASE_URL only, so it runs before the rest of the configuration exists.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource } from './data-source';
import { renderMigration, schemaDiff } from './schema-diff';
import { seedDemo, seedReference } from './seed';

async function main(argv: string[]): Promise<number> {
  const [command, arg] = argv;
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
      case 'seed-reference':
      case 'seed': {
        await seedReference(ds);
        if (command === 'seed') await seedDemo(ds);
        console.log(command === 'seed' ? 'reference and demo data seeded' : 'reference data seeded');
        return 0;
      }
      default:
        console.error('usage: cli.js migrate | check | generate <Name> | seed-reference | seed');
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
