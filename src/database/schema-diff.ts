import { DataSource } from 'typeorm';

export interface SchemaDiff {
  up: string[];
  down: string[];
}

/**
 * What `migration:generate` would write: the SQL TypeORM's schema builder wants to run to
 * bring the database in line with the entities. Empty when the committed migrations match.
 */
export async function schemaDiff(ds: DataSource): Promise<SchemaDiff> {
  const log = await ds.driver.createSchemaBuilder().log();
  return {
    up: log.upQueries.map((q) => q.query),
    down: log.downQueries.map((q) => q.query).reverse(),
  };
}

/** Source text of a TypeORM migration class for the given diff. */
export function renderMigration(name: string, timestamp: number, diff: SchemaDiff): string {
  const cls = `${name.replace(/[^A-Za-z0-9]/g, '')}${timestamp}`;
  const q = (sql: string) => `    await queryRunner.query(${JSON.stringify(sql)});`;
  return [
    "import { MigrationInterface, QueryRunner } from 'typeorm';",
    '',
    `export class ${cls} implements MigrationInterface {`,
    `  name = '${cls}';`,
    '',
    '  public async up(queryRunner: QueryRunner): Promise<void> {',
    ...diff.up.map(q),
    '  }',
    '',
    '  public async down(queryRunner: QueryRunner): Promise<void> {',
    ...diff.down.map(q),
    '  }',
    '}',
    '',
  ].join('\n');
}
