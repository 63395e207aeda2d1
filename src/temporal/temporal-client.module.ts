import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { APP_CONFIG, AppConfig } from '../config/config';
import { dataConverterFor } from './payload-codec';

export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

/**
 * Owns the api's connection to Temporal. The connection is lazy, so the api starts (and
 * /ready reports Temporal as down) even while the Temporal server is unreachable.
 */
@Injectable()
export class TemporalClientHolder implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;
  private closed = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
    this.client = new Client({ connection: this.connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(config.PII_ENCRYPTION_KEY) });
  }

  /** Round trip to the frontend service; throws if Temporal is unreachable. */
  async ping(timeoutMs = 2000): Promise<void> {
    await this.connection.withDeadline(Date.now() + timeoutMs, () =>
      this.connection.workflowService.getSystemInfo({}),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection.close();
  }
}

@Global()
@Module({
  providers: [
    TemporalClientHolder,
    { provide: TEMPORAL_CLIENT, useFactory: (h: TemporalClientHolder) => h.client, inject: [TemporalClientHolder] },
  ],
  exports: [TemporalClientHolder, TEMPORAL_CLIENT],
})
export class TemporalClientModule {}
