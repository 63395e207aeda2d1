import { z } from 'zod';
import { parsePiiKeys } from '../security/pii-crypto';

/**
 * Every setting the api and the worker read, validated once at boot.
 * A missing or malformed variable stops start-up with a message naming it
 * (see `loadConfig`). The table in README.md lists the same variables.
 */
const postgresUrl = z
  .string({ error: 'is required (e.g. postgres://user:pass@127.0.0.1:5432/dpf)' })
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), 'must be a postgres:// URL');
const redisUrl = z
  .string({ error: 'is required (e.g. redis://127.0.0.1:6379)' })
  .refine((v) => /^rediss?:\/\/.+/.test(v), 'must be a redis:// URL');
const hostPort = z
  .string({ error: 'is required (e.g. 127.0.0.1:7233)' })
  .refine((v) => /^[^\s:/]+:\d{1,5}$/.test(v), 'must be host:port');
const port = z.coerce.number().int().min(0).max(65535);
const validPiiKeys = (v: string) => {
  try {
    return parsePiiKeys(v).length > 0;
  } catch {
    return false;
  }
};
/** An on/off switch: true, false, 1 or 0. */
const flag = (dflt: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default(dflt)
    .transform((v) => v === 'true' || v === '1');
/** BullMQ key prefix (also read by `cli.js digest`, which runs without the rest of the configuration). */
export const queuePrefix = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . or -').default('bull');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour, Asia/Shanghai)');

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: port.default(3000),
    PUBLIC_URL: z.string().url().optional(),
    DATABASE_URL: postgresUrl,
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: redisUrl,
    // Key prefix of every BullMQ queue: two deployments (or test suites) sharing one Redis keep
    // their notification queues apart with different prefixes. 'bull' is BullMQ's own default.
    QUEUE_PREFIX: queuePrefix,
    TEMPORAL_ADDRESS: hostPort,
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('dpf-cases'),
    TEMPORAL_UI_URL: z.string().url().optional(),
    JWT_SECRET: z.string({ error: 'is required (at least 32 characters)' }).min(32, 'must be at least 32 characters'),
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(900),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(72).default(8),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
    // Per source IP; a county office behind one NAT address signs in together at 08:30.
    LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100000).default(60),
    PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(8),
    PASSWORD_MIN_CLASSES: z.coerce.number().int().min(1).max(4).default(3),
    MFA_REQUIRED_ROLES: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
    BREAK_GLASS_HOURS: z.coerce.number().int().min(1).max(24).default(4),
    // Largest audit-log CSV export; a wider range is refused (422) and must be exported in parts.
    AUDIT_EXPORT_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
    LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
    WORKER_HEARTBEAT_FILE: z.string().default('/tmp/dpf-worker-alive'),
    // Open cases whose workflow state the worker keeps in memory (Temporal's sticky cache). Others
    // are replayed from history when their next task arrives, which a case that waits days for a
    // person can afford. Measured (npm run bench, BENCH_ONLY=capacity BENCH_CASES=1000): worker RSS
    // peak 949 MiB with 1000, 843 MiB with 500, 822 MiB with 250, hit rate 100% in all three (a case
    // is evicted only while it waits for a person); at 3,000 open cases 1000 peaked at 1,123 MiB.
    // 500 leaves room under 1 GiB for what grows with the number of cases, not the cache.
    TEMPORAL_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(500),
    // host:port where the worker serves Temporal SDK metrics for Prometheus (/metrics): task
    // latencies, slots, workflow cache size and hit/miss. Off when unset.
    TEMPORAL_METRICS_BIND: z.string().regex(/^[\w.:[\]-]+:\d{1,5}$/, 'must be host:port, e.g. 0.0.0.0:9464').optional(),
    WORKFLOW_BUNDLE_PATH: z.string().optional(),
    // Keys for Temporal payloads and personal data at rest (resident ID, certificate number):
    // "kid:base64[,kid:base64]" (AES-256-GCM, 32 bytes) or "kid:sm4:base64" (SM4-GCM, 16 bytes);
    // the first encrypts, all decrypt. Required in production.
    PII_ENCRYPTION_KEY: z
      .string()
      .optional()
      .refine((v) => v === undefined || validPiiKeys(v), 'must be kid:base64 of 32 bytes (openssl rand -base64 32) or kid:sm4:base64 of 16 bytes, comma-separated for rotation'),
    // Notification channels (issue 6): each channel is off until its endpoint is set.
    SMTP_URL: z.string().regex(/^smtps?:\/\/.+/, 'must be an smtp:// or smtps:// URL').optional(),
    SMTP_FROM: z.string().min(3).default('残联个案平台 <noreply@dpf-caseflow.local>'),
    SMS_GATEWAY_URL: z.string().url().optional(),
    SMS_GATEWAY_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    WECOM_WEBHOOK_URL: z.string().url().optional(),
    DINGTALK_WEBHOOK_URL: z.string().url().optional(),
    DINGTALK_SECRET: z.string().min(8).optional(),
    NOTIFY_QUIET_START: hhmm.default('21:00'),
    NOTIFY_QUIET_END: hhmm.default('08:00'),
    NOTIFY_RATE_LIMITS: z
      .string()
      .regex(/^\s*[a-z_-]+\s*=\s*\d+\s*\/\s*\d*\s*(ms|s|min|h)\s*(,\s*[a-z_-]+\s*=\s*\d+\s*\/\s*\d*\s*(ms|s|min|h)\s*)*$/, 'must look like sms=50/s,wecom=20/min,sms-number=10/h')
      .optional(),
    // The daily digest at 08:30 (Asia/Shanghai, working days). 'false' leaves it out of this worker's
    // queues (test suites, a second worker group sharing the prefix needs only one scheduler anyway).
    NOTIFY_DIGEST: flag('true'),
    NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(25).default(6),
    NOTIFY_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(5000),
    // Demo and training stacks only: lets an admin save a child-rehab settings version whose
    // rules.compressedCalendar shortens months and the service year (e.g. 1 month = 10 minutes).
    // Off by default, refused in production, so real cases never run on a test calendar.
    ALLOW_COMPRESSED_CALENDAR: flag('false'),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && !c.PII_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['PII_ENCRYPTION_KEY'], message: 'is required in production (personal data is encrypted with it)' });
    }
    if (c.NODE_ENV === 'production' && /change-me|dev-only/i.test(c.JWT_SECRET)) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'still has the development placeholder value' });
    }
    if (c.NODE_ENV === 'production' && c.ALLOW_COMPRESSED_CALENDAR) {
      ctx.addIssue({ code: 'custom', path: ['ALLOW_COMPRESSED_CALENDAR'], message: 'must not be set in production (a compressed calendar is for demo and training stacks)' });
    }
    if (c.SMS_GATEWAY_URL && !c.SMS_GATEWAY_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SMS_GATEWAY_SECRET'], message: 'is required when SMS_GATEWAY_URL is set (signs every request)' });
    }
  });

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError listing every bad variable by name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty strings count as unset, so `FOO= npm start` gives "is required", not a format error.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`);
    throw new ConfigError(problems);
  }
  return parsed.data;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
