/**
 * Static checks of the deployment files (docker-compose.yml, Dockerfile,
 * .dockerignore). No Docker engine is needed: `docker-compose config` only
 * parses, validates and interpolates the file.
 *
 * The compose part is skipped (with a warning) only when the `docker-compose`
 * binary is not installed; scripts/test.sh installs it via apt, so it
 * normally runs.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CASE_SEARCH_ATTRIBUTE_TYPES } from '../../../workflows/contracts/search-attributes';

const ROOT = resolve(__dirname, '../../..');
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
const COMPOSE_BIN = 'docker-compose';

const SECRETS = { POSTGRES_PASSWORD: 'x', JWT_SECRET: 'y', PII_ENCRYPTION_KEY: 'z' } as const;
const APP_SERVICES = ['api', 'worker', 'migrate'] as const;
const ALL_SERVICES = ['postgres', 'redis', 'temporal', 'temporal-ui', 'temporal-search-attributes', ...APP_SERVICES].sort();
const ONE_SHOT = new Set(['migrate', 'temporal-search-attributes']);

jest.setTimeout(60_000);

function composeAvailable(): boolean {
  const r = spawnSync(COMPOSE_BIN, ['--version'], { encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    console.warn(
      `[compose.spec] '${COMPOSE_BIN}' not found on PATH — SKIPPING docker-compose validation. ` +
        `Install it (apt-get install docker-compose) to run these tests.`,
    );
    return false;
  }
  return true;
}

const HAVE_COMPOSE = composeAvailable();
const describeCompose = HAVE_COMPOSE ? describe : describe.skip;

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

interface Healthcheck {
  test?: string[] | string;
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: Healthcheck;
  ports?: Array<string | { published?: string | number; target?: string | number }>;
  volumes?: Array<string | { source?: string; target?: string; type?: string }>;
  restart?: string;
  stop_grace_period?: string;
  init?: boolean;
}
interface ComposeConfig {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** Environment for docker-compose: only what we set, no stray COMPOSE_* / optional overrides. */
function composeEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of [
    'COMPOSE_FILE',
    'COMPOSE_PROJECT_NAME',
    'COMPOSE_PROFILES',
    'API_PORT',
    'TEMPORAL_UI_PORT',
    'TEMPORAL_UI_ORIGINS',
    'APP_IMAGE_TAG',
    ...Object.keys(SECRETS),
  ]) {
    delete env[k];
  }
  for (const [k, v] of Object.entries(overrides)) {
    if (v !== undefined) env[k] = v;
  }
  return env;
}

let tmpDir: string;
let emptyEnvFile: string;

function runCompose(args: string[], env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  // --env-file points at an empty file so a developer's local .env cannot
  // leak into (or mask failures of) the test; -f disables override files.
  const r = spawnSync(COMPOSE_BIN, ['--env-file', emptyEnvFile, '-f', COMPOSE_FILE, ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return r;
}

/**
 * YAML -> object. `docker-compose` v1 has no `--format json` and no `convert`
 * command, so parse its YAML output: with the `yaml` package if installed,
 * else `js-yaml` (present in node_modules via @nestjs/swagger), else PyYAML,
 * which is a hard dependency of the Debian/pip docker-compose v1 package.
 */
function parseYaml(text: string): unknown {
  for (const [mod, fn] of [
    ['yaml', 'parse'],
    ['js-yaml', 'load'],
  ] as const) {
    let lib: Record<string, (s: string) => unknown> | undefined;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      lib = require(mod);
    } catch {
      lib = undefined;
    }
    if (lib && typeof lib[fn] === 'function') return lib[fn](text);
  }
  const py = spawnSync(
    'python3',
    ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
    { input: text, encoding: 'utf8' },
  );
  if (py.error || py.status !== 0) {
    throw new Error(`no YAML parser available (yaml, js-yaml, python3+PyYAML): ${py.stderr ?? py.error}`);
  }
  return JSON.parse(py.stdout);
}

function commandString(cmd: string[] | string | undefined): string {
  return Array.isArray(cmd) ? cmd.join(' ') : (cmd ?? '');
}

function healthcheckDisabled(hc: Healthcheck): boolean {
  // v1 renders `disable: true` as test: ["NONE"]; Compose v2 keeps `disable: true`.
  return hc.disable === true || (Array.isArray(hc.test) && hc.test[0] === 'NONE');
}

function dependsOn(svc: Service): Record<string, { condition?: string }> {
  const d = svc.depends_on ?? {};
  return Array.isArray(d) ? Object.fromEntries(d.map((n) => [n, {}])) : d;
}

// ---------------------------------------------------------------------------
// docker-compose.yml
// ---------------------------------------------------------------------------

describeCompose('docker-compose.yml', () => {
  let config: ComposeConfig;
  let services: Record<string, Service>;

  beforeAll(() => {
    tmpDir = mkdtempSync(join(tmpdir(), 'compose-spec-'));
    emptyEnvFile = join(tmpDir, 'empty.env');
    writeFileSync(emptyEnvFile, '');

    const r = runCompose(['config'], composeEnv(SECRETS));
    if (r.status !== 0) throw new Error(`docker-compose config failed (${r.status}):\n${r.stderr}`);
    config = parseYaml(r.stdout) as ComposeConfig;
    services = config.services;
  });

  afterAll(() => {
    if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
  });

  it('validates with `docker-compose config -q` (exit 0)', () => {
    const r = runCompose(['config', '-q'], composeEnv(SECRETS));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each(Object.keys(SECRETS))('refuses to render when %s is missing (:? interpolation)', (name) => {
    const r = runCompose(['config', '-q'], composeEnv({ ...SECRETS, [name]: undefined }));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`set ${name}`);
  });

  it('defines exactly the expected services', () => {
    expect(Object.keys(services).sort()).toEqual(ALL_SERVICES);
  });

  it('gives every service a healthcheck (disabled only for the one-shot jobs)', () => {
    for (const [name, svc] of Object.entries(services)) {
      expect({ name, healthcheck: svc.healthcheck }).toEqual({ name, healthcheck: expect.any(Object) });
      const hc = svc.healthcheck as Healthcheck;
      if (ONE_SHOT.has(name)) {
        expect(healthcheckDisabled(hc)).toBe(true);
      } else {
        expect({ name, disabled: healthcheckDisabled(hc) }).toEqual({ name, disabled: false });
        expect({ name, test: commandString(hc.test).length > 0 }).toEqual({ name, test: true });
      }
    }
  });

  it('uses restart unless-stopped for long-running services and "no" for the one-shot jobs', () => {
    for (const [name, svc] of Object.entries(services)) {
      expect({ name, restart: svc.restart }).toEqual({
        name,
        restart: ONE_SHOT.has(name) ? 'no' : 'unless-stopped',
      });
    }
  });

  it('runs postgres 16 with the app database and a pg_isready healthcheck', () => {
    const pg = services.postgres;
    expect(pg.image).toMatch(/^postgres:16(\b|$)/);
    expect(pg.environment).toMatchObject({ POSTGRES_USER: 'dpf', POSTGRES_DB: 'dpf', POSTGRES_PASSWORD: 'x' });
    expect(commandString(pg.healthcheck?.test)).toContain('pg_isready');
  });

  it('runs redis with AOF persistence and the noeviction policy BullMQ needs', () => {
    const redis = services.redis;
    expect(redis.image).toMatch(/^redis:7/);
    const cmd = commandString(redis.command);
    expect(cmd).toContain('--appendonly yes');
    expect(cmd).toContain('--maxmemory-policy noeviction');
    expect(commandString(redis.healthcheck?.test)).toContain('redis-cli ping');
  });

  it('runs Temporal (auto-setup 1.2x) on Postgres with our dynamic config', () => {
    const t = services.temporal;
    expect(t.image).toMatch(/^temporalio\/auto-setup:1\.2\d\.\d+$/);
    expect(t.environment).toMatchObject({
      DB: 'postgres12',
      DB_PORT: '5432',
      POSTGRES_SEEDS: 'postgres',
      POSTGRES_USER: 'dpf',
      POSTGRES_PWD: 'x',
    });
    expect(dependsOn(t).postgres?.condition).toBe('service_healthy');
    expect(commandString(t.healthcheck?.test)).toMatch(/(temporal operator cluster health|tctl .*cluster health)/);

    // DYNAMIC_CONFIG_FILE_PATH is relative to /etc/temporal and must point at
    // a file we actually mount from deploy/temporal/dynamicconfig.
    const dynPath = t.environment?.DYNAMIC_CONFIG_FILE_PATH ?? '';
    expect(dynPath).toMatch(/^config\/dynamicconfig\/.+\.yaml$/);
    const mount = (t.volumes ?? [])
      .map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`))
      .find((v) => v.includes(':/etc/temporal/config/dynamicconfig'));
    expect(mount).toBeDefined();
    const hostDir = (mount as string).split(':')[0];
    expect(existsSync(join(resolve(ROOT, hostDir), dynPath.replace(/^config\/dynamicconfig\//, '')))).toBe(true);
  });

  it('points temporal-ui at the Temporal frontend', () => {
    const ui = services['temporal-ui'];
    expect(ui.image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(ui.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(dependsOn(ui).temporal?.condition).toBe('service_healthy');
  });

  it('builds api, worker and migrate from the same Dockerfile into the same image', () => {
    const [api, ...rest] = APP_SERVICES.map((n) => services[n]);
    expect(api.build).toBeDefined();
    expect(api.image).toBeTruthy();
    for (const svc of rest) {
      expect(svc.build).toEqual(api.build);
      expect(svc.image).toBe(api.image);
    }
    expect(commandString(services.api.command)).toBe('node dist/src/main.js');
    expect(commandString(services.worker.command)).toBe('node dist/src/worker.js');
    const migrate = commandString(services.migrate.command);
    expect(migrate).toContain('node dist/src/database/cli.js migrate');
    expect(migrate).toContain('node dist/src/database/cli.js seed-reference');
    expect(migrate.indexOf(' migrate')).toBeLessThan(migrate.indexOf('seed-reference'));
  });

  it('passes the same runtime environment to api, worker and migrate', () => {
    for (const name of APP_SERVICES) {
      expect({ name, env: services[name].environment }).toEqual({
        name,
        env: expect.objectContaining({
          DATABASE_URL: 'postgres://dpf:x@postgres:5432/dpf',
          REDIS_URL: 'redis://redis:6379',
          TEMPORAL_ADDRESS: 'temporal:7233',
          TEMPORAL_NAMESPACE: 'default',
          NODE_ENV: 'production',
          // the app defaults to 127.0.0.1, which is unreachable through a published port
          HOST: '0.0.0.0',
          PORT: '3000',
          JWT_SECRET: 'y',
          PII_ENCRYPTION_KEY: 'z',
        }),
      });
      expect(services[name].init).toBe(true);
    }
  });

  it('starts api and worker only after migrate completed and dependencies are healthy', () => {
    for (const name of ['api', 'worker']) {
      const deps = dependsOn(services[name]);
      expect(deps.migrate?.condition).toBe('service_completed_successfully');
      for (const dep of ['postgres', 'redis', 'temporal']) {
        expect({ name, dep, condition: deps[dep]?.condition }).toEqual({ name, dep, condition: 'service_healthy' });
      }
    }
    expect(dependsOn(services.migrate).postgres?.condition).toBe('service_healthy');
  });

  it('starts api and worker only after the case search attributes are registered', () => {
    const sa = services['temporal-search-attributes'];
    expect(sa.image).toBe(services.temporal.image); // the auto-setup image ships the temporal CLI
    expect(dependsOn(sa).temporal?.condition).toBe('service_healthy');
    for (const name of ['api', 'worker']) {
      expect({ name, condition: dependsOn(services[name])['temporal-search-attributes']?.condition }).toEqual({ name, condition: 'service_completed_successfully' });
    }
  });

  describe('the search-attribute script (run with a stand-in `temporal` CLI)', () => {
    /** Runs the service's script with a fake `temporal` whose `list` prints `registered`; returns what it created. */
    const runScript = (registered: Record<string, string>) => {
      const sa = services['temporal-search-attributes'] as Service & { entrypoint?: string[] };
      expect(sa.entrypoint).toEqual(['/bin/sh', '-c']);
      const script = (Array.isArray(sa.command) ? sa.command[0] : sa.command!).replace(/\$\$/g, '$'); // config output keeps $$ escapes
      const dir = mkdtempSync(join(tmpdir(), 'fake-temporal-'));
      try {
        const table = ['  Name  Type', ...Object.entries(registered).map(([n, t]) => `  ${n}    ${t}   `)].join('\n');
        writeFileSync(join(dir, 'table'), `${table}\n`);
        writeFileSync(join(dir, 'temporal'), `#!/bin/sh\nif [ "$3" = list ]; then cat "${dir}/table"; else echo "$*" >> "${dir}/calls"; fi\n`, { mode: 0o755 });
        const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin` } });
        const calls = existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') : [];
        return { code: r.status, stderr: r.stderr, created: calls.map((c) => c.match(/--name (\S+) --type (\S+)/)!.slice(1).join('=')) };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const expected = Object.entries(CASE_SEARCH_ATTRIBUTE_TYPES).map(([n, t]) => `${n}=${t}`);

    it('creates every case search attribute, with the types the workflows use, on a fresh namespace', () => {
      const r = runScript({ CustomKeywordField: 'Keyword' });
      expect(r.code).toBe(0);
      expect(r.created.sort()).toEqual(expected.sort());
    });

    it('leaves attributes already registered alone (idempotent re-run)', () => {
      const r = runScript({ ...CASE_SEARCH_ATTRIBUTE_TYPES, CaseStepOld: 'Keyword' });
      expect(r).toMatchObject({ code: 0, created: [] });
    });

    it('stops with a message when an attribute is registered with another type', () => {
      const r = runScript({ CaseProgram: 'Keyword', CaseOrgPath: 'Keyword' });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('CaseOrgPath is registered as Keyword, expected KeywordList');
    });
  });

  it('health-checks api via /ready and worker via its heartbeat script', () => {
    expect(commandString(services.api.healthcheck?.test)).toContain('http://127.0.0.1:3000/ready');
    expect(services.worker.healthcheck?.test).toEqual(['CMD', 'node', 'dist/src/worker-health.js']);
    // worker and worker-health.js both read WORKER_HEARTBEAT_FILE; pin it so they agree.
    expect(services.worker.environment?.WORKER_HEARTBEAT_FILE).toBe('/tmp/worker-alive');
  });

  it('gives the worker 60 s to drain on SIGTERM', () => {
    expect(['60s', '1m', '1m0s']).toContain(services.worker.stop_grace_period);
  });

  it('publishes only the API (3000) and the Temporal UI (8080) on the host', () => {
    const published = Object.entries(services)
      .filter(([, s]) => (s.ports ?? []).length > 0)
      .map(([n]) => n)
      .sort();
    expect(published).toEqual(['api', 'temporal-ui']);
    const target = (s: Service) =>
      (s.ports ?? []).map((p) => (typeof p === 'string' ? p.split(':').pop() : String(p.target)));
    expect(target(services.api)).toEqual(['3000']);
    expect(target(services['temporal-ui'])).toEqual(['8080']);
  });

  it('keeps postgres and redis data in named volumes', () => {
    expect(Object.keys(config.volumes ?? {}).sort()).toEqual(['postgres-data', 'redis-data']);
    const sources = (s: Service) =>
      (s.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[0] : v.source));
    expect(sources(services.postgres)).toContain('postgres-data');
    expect(sources(services.redis)).toContain('redis-data');
  });
});

// ---------------------------------------------------------------------------
// Dockerfile / .dockerignore (plain text checks, always run)
// ---------------------------------------------------------------------------

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  // Instructions only (comments stripped, continuation lines joined).
  const instructions = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages = instructions.filter((l) => /^FROM\s/i.test(l));
  const lastStageIdx = instructions.lastIndexOf(stages[stages.length - 1]);
  const runtime = instructions.slice(lastStageIdx);

  it('is a multi-stage build on node:24-bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/node:24-bookworm-slim/);
  });

  it('builds with npm ci + npm run build and installs only prod deps at runtime', () => {
    const build = instructions.slice(0, lastStageIdx).join('\n');
    expect(build).toMatch(/RUN npm ci\b/);
    expect(build).toMatch(/RUN npm run build\b/);
    expect(runtime.join('\n')).toMatch(/npm ci --omit=dev/);
    expect(runtime.join('\n')).toMatch(/COPY --from=\S+ \/app\/dist \.\/dist/);
  });

  it('runs as the non-root node user with production defaults', () => {
    expect(runtime).toContain('USER node');
    expect(runtime).toContain('ENV NODE_ENV=production');
    expect(runtime).toContain('EXPOSE 3000');
    expect(runtime).toContain('STOPSIGNAL SIGTERM');
    expect(runtime[runtime.length - 1]).toBe('CMD ["node", "dist/src/main.js"]');
  });
});

describe('.dockerignore', () => {
  const entries = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it.each(['node_modules', 'dist', '.data', '.tools', '.git', 'test-artifacts', 'coverage', '.env'])(
    'excludes %s from the build context',
    (entry) => {
      expect(entries).toContain(entry);
    },
  );
});
