import 'reflect-metadata';
import { types } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

// DATE columns are calendar days (Asia/Shanghai business dates): keep them as 'YYYY-MM-DD' strings
// instead of node-postgres' default of a Date at local midnight, which shifts days across time zones.
types.setTypeParser(1082, (v: string) => v);

/**
 * The one DataSource definition, shared by the Nest app (TypeOrmModule) and the CLI
 * (src/database/cli.ts). `synchronize` is off everywhere: the schema changes only through
 * the committed migrations, and the test suite fails when the entities drift from them.
 */
export function dataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto', // gen_random_uuid() is built into Postgres 13+
    migrationsRun: false,
    // Failed queries would be logged with their parameters (personal data): errors surface
    // through the exception filter instead.
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5000, application_name: 'dpf-caseflow' },
  };
}

export function createDataSource(databaseUrl: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, poolSize));
}
