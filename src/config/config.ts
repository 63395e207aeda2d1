import { z } from 'zod';

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

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: port.default(3000),
    PUBLIC_URL: z.string().url().optional(),
    DATABASE_URL: postgresUrl,
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: redisUrl,
    TEMPORAL_ADDRESS: hostPort,
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('dpf-cases'),
    TEMPORAL_UI_URL: z.string().url().optional(),
    JWT_SECRET: z.string({ error: 'is required (at least 32 characters)' }).min(32, 'must be at least 32 characters'),
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(900),
    LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
    WORKER_HEARTBEAT_FILE: z.string().default('/tmp/dpf-worker-alive'),
    WORKFLOW_BUNDLE_PATH: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && /change-me|dev-only/i.test(c.JWT_SECRET)) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'still has the development placeholder value' });
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
