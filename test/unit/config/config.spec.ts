import { ConfigError, loadConfig } from '../../../src/config/config';

const good = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/dpf',
  REDIS_URL: 'redis://127.0.0.1:6379',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  JWT_SECRET: 'x'.repeat(40),
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

test('a complete environment parses with defaults', () => {
  const c = loadConfig(good);
  expect(c.PORT).toBe(3000);
  expect(c.TEMPORAL_NAMESPACE).toBe('default');
  expect(c.TEMPORAL_TASK_QUEUE).toBe('dpf-cases');
  expect(c.QUEUE_PREFIX).toBe('bull');
  expect(c.NOTIFY_DIGEST).toBe(true);
  expect(loadConfig({ ...good, NOTIFY_DIGEST: 'false' }).NOTIFY_DIGEST).toBe(false);
  expect(problems({ ...good, NOTIFY_DIGEST: 'no' })).toEqual(['NOTIFY_DIGEST must be true or false']); // BullMQ's own default: queues of an existing deployment stay where they are
});

test('QUEUE_PREFIX is a plain key segment (a ":" or a space would split or break Redis keys)', () => {
  expect(loadConfig({ ...good, QUEUE_PREFIX: 'dpf-county.A_1' }).QUEUE_PREFIX).toBe('dpf-county.A_1');
  expect(problems({ ...good, QUEUE_PREFIX: 'a:b' })).toEqual(['QUEUE_PREFIX must be 1-64 letters, digits, _ . or -']);
  expect(problems({ ...good, QUEUE_PREFIX: 'x'.repeat(65) })).toEqual(['QUEUE_PREFIX must be 1-64 letters, digits, _ . or -']);
});

test('every missing variable is named', () => {
  const p = problems({});
  expect(p.join('\n')).toMatch(/DATABASE_URL is required/);
  expect(p.join('\n')).toMatch(/REDIS_URL is required/);
  expect(p.join('\n')).toMatch(/TEMPORAL_ADDRESS is required/);
  expect(p.join('\n')).toMatch(/JWT_SECRET is required/);
});

test('malformed values are named with what is wrong', () => {
  expect(problems({ ...good, DATABASE_URL: 'mysql://x' })).toEqual(['DATABASE_URL must be a postgres:// URL']);
  expect(problems({ ...good, TEMPORAL_ADDRESS: 'localhost' })).toEqual(['TEMPORAL_ADDRESS must be host:port']);
  expect(problems({ ...good, PORT: 'abc' })[0]).toMatch(/^PORT /);
  expect(problems({ ...good, JWT_SECRET: 'short' })).toEqual(['JWT_SECRET must be at least 32 characters']);
  expect(problems({ ...good, NODE_ENV: 'production', JWT_SECRET: 'change-me-change-me-change-me-change-me', PII_ENCRYPTION_KEY: `k1:${Buffer.alloc(32, 1).toString('base64')}` })).toEqual([
    'JWT_SECRET still has the development placeholder value',
  ]);
});

test('empty strings count as unset', () => {
  expect(problems({ ...good, REDIS_URL: '' })).toEqual(['REDIS_URL is required (e.g. redis://127.0.0.1:6379)']);
});

test('PII_ENCRYPTION_KEY: AES-256 (32 bytes) or SM4 (sm4:, 16 bytes) keys, comma-separated', () => {
  const aes = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
  const sm4 = `s1:sm4:${Buffer.alloc(16, 2).toString('base64')}`;
  expect(problems({ ...good, PII_ENCRYPTION_KEY: `${sm4},${aes}` })).toEqual([]);
  expect(problems({ ...good, PII_ENCRYPTION_KEY: `k1:${Buffer.alloc(16, 1).toString('base64')}` })[0]).toMatch(/^PII_ENCRYPTION_KEY must be kid:base64 of 32 bytes/);
  expect(problems({ ...good, PII_ENCRYPTION_KEY: `s1:sm4:${Buffer.alloc(32, 1).toString('base64')}` })[0]).toMatch(/^PII_ENCRYPTION_KEY /);
});

test('worker tuning: the workflow cache is bounded by default, the metrics endpoint is host:port', () => {
  expect(loadConfig(good).TEMPORAL_MAX_CACHED_WORKFLOWS).toBe(500);
  expect(loadConfig({ ...good, TEMPORAL_MAX_CACHED_WORKFLOWS: '0' }).TEMPORAL_MAX_CACHED_WORKFLOWS).toBe(0);
  expect(problems({ ...good, TEMPORAL_MAX_CACHED_WORKFLOWS: '-1' }).join('\n')).toMatch(/TEMPORAL_MAX_CACHED_WORKFLOWS/);
  expect(loadConfig({ ...good, TEMPORAL_METRICS_BIND: '0.0.0.0:9464' }).TEMPORAL_METRICS_BIND).toBe('0.0.0.0:9464');
  expect(problems({ ...good, TEMPORAL_METRICS_BIND: 'http://x' }).join('\n')).toMatch(/TEMPORAL_METRICS_BIND must be host:port/);
});

test('ALLOW_COMPRESSED_CALENDAR: off by default, true/1 turn it on, refused in production', () => {
  expect(loadConfig(good).ALLOW_COMPRESSED_CALENDAR).toBe(false);
  expect(loadConfig({ ...good, ALLOW_COMPRESSED_CALENDAR: 'true' }).ALLOW_COMPRESSED_CALENDAR).toBe(true);
  expect(loadConfig({ ...good, ALLOW_COMPRESSED_CALENDAR: '1' }).ALLOW_COMPRESSED_CALENDAR).toBe(true);
  expect(problems({ ...good, ALLOW_COMPRESSED_CALENDAR: 'yes' }).join('\n')).toMatch(/ALLOW_COMPRESSED_CALENDAR must be true or false/);
  const prod = { ...good, NODE_ENV: 'production', PII_ENCRYPTION_KEY: `k1:${Buffer.alloc(32, 1).toString('base64')}` };
  expect(problems(prod)).toEqual([]);
  expect(problems({ ...prod, ALLOW_COMPRESSED_CALENDAR: 'true' }).join('\n')).toMatch(/ALLOW_COMPRESSED_CALENDAR must not be set in production/);
});
