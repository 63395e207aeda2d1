/** Connection settings of the real services the test command started (scripts/test.sh). */
export function requireServices() {
  const need = ['DATABASE_URL', 'REDIS_URL', 'TEMPORAL_ADDRESS'] as const;
  const missing = need.filter((k) => !process.env[k]);
  if (missing.length) {
    throw new Error(`${missing.join(', ')} not set: run the suite with scripts/test.sh, which starts Postgres, Redis and Temporal`);
  }
  return { databaseUrl: process.env.DATABASE_URL!, redisUrl: process.env.REDIS_URL!, temporalAddress: process.env.TEMPORAL_ADDRESS! };
}

export function requireDatabase(): { databaseUrl: string; redisUrl: string } {
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
    throw new Error('DATABASE_URL and REDIS_URL not set: run the suite with scripts/test.sh');
  }
  return { databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL };
}

export function testServerExecutable() {
  const p = process.env.TEMPORAL_TEST_SERVER_PATH;
  return p ? ({ type: 'existing-path', path: p } as const) : undefined; // else the SDK downloads it (needs internet)
}
