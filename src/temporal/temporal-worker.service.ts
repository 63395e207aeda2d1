import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { utimesSync, writeFileSync } from 'node:fs';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ActivitiesFactory } from './activities.factory';
import { dataConverterFor } from './payload-codec';
import { workflowSource } from './workflow-source';

let runtimeInstalled = false;
/**
 * Nest owns process signals (enableShutdownHooks); the Temporal runtime must not install its
 * own SIGINT/SIGTERM handlers, or the worker would be shut down twice.
 */
export function installTemporalRuntime(metricsBind?: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({
      shutdownSignals: [],
      // Prometheus scrape endpoint of the SDK's own metrics (temporal_sticky_cache_hit/miss, task latencies, …).
      ...(metricsBind ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsBind } } } } : {}),
    });
  } catch {
    // Already installed by this process (e.g. a test environment): keep that runtime.
  }
}

/** Runs the Temporal Worker inside the worker process and drains it on shutdown. */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('TemporalWorker');
  private connection?: NativeConnection;
  private worker?: Worker;
  private running?: Promise<void>;
  private heartbeat?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly activities: ActivitiesFactory,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    installTemporalRuntime(this.config.TEMPORAL_METRICS_BIND);
    this.connection = await this.connectWithRetry();
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.config.TEMPORAL_NAMESPACE,
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      activities: this.activities.create(),
      ...workflowSource(this.config.WORKFLOW_BUNDLE_PATH),
      dataConverter: dataConverterFor(this.config.PII_ENCRYPTION_KEY),
      shutdownGraceTime: '30s',
      maxCachedWorkflows: this.config.TEMPORAL_MAX_CACHED_WORKFLOWS,
    });
    this.running = this.worker.run();
    this.running.catch((err) => {
      this.log.error(`worker stopped with an error: ${err instanceof Error ? err.stack : err}`);
      process.exitCode = 1;
    });
    this.touchHeartbeat();
    this.heartbeat = setInterval(() => this.touchHeartbeat(), 15_000);
    this.heartbeat.unref();
    this.log.log(`polling task queue ${this.config.TEMPORAL_TASK_QUEUE} on ${this.config.TEMPORAL_ADDRESS}`);
  }

  /** Called once by Nest on SIGINT/SIGTERM or app.close(): stop polling, finish in-flight tasks, close. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.heartbeat);
    if (this.worker && this.worker.getState() === 'RUNNING') {
      this.log.log('draining: finishing in-flight tasks');
      this.worker.shutdown();
    }
    await this.running?.catch(() => undefined);
    await this.connection?.close();
    this.log.log('worker stopped');
  }

  private touchHeartbeat(): void {
    if (this.worker?.getState() !== 'RUNNING') return;
    const f = this.config.WORKER_HEARTBEAT_FILE;
    const now = new Date();
    try {
      utimesSync(f, now, now);
    } catch {
      writeFileSync(f, String(process.pid));
    }
  }

  private async connectWithRetry(): Promise<NativeConnection> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await NativeConnection.connect({ address: this.config.TEMPORAL_ADDRESS });
      } catch (err) {
        if (this.stopping || attempt >= 60) throw err;
        this.log.warn(`Temporal at ${this.config.TEMPORAL_ADDRESS} unreachable (attempt ${attempt}); retrying`);
        await new Promise((r) => setTimeout(r, Math.min(1000 * attempt, 5000)));
      }
    }
  }
}
