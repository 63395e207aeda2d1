import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { createActivities } from '../../activities';
import { APP_CONFIG, AppConfig } from '../config/config';
import { NOTIFICATION_QUEUE } from '../queues/redis';
import { dataConverterFor } from './payload-codec';

/** Builds the activity implementations with their dependencies from Nest's container. */
@Injectable()
export class ActivitiesFactory implements OnApplicationShutdown {
  /** For activities that act on other workflows (bulk operations): lazy, same namespace and codec as the api. */
  private temporal?: Client;

  constructor(
    private readonly ds: DataSource,
    @InjectQueue(NOTIFICATION_QUEUE) private readonly notifications: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  create() {
    this.temporal ??= new Client({
      connection: Connection.lazy({ address: this.config.TEMPORAL_ADDRESS }),
      namespace: this.config.TEMPORAL_NAMESPACE,
      dataConverter: dataConverterFor(this.config.PII_ENCRYPTION_KEY),
    });
    return createActivities({ ds: this.ds, notifications: this.notifications, temporal: this.temporal });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.temporal?.connection.close().catch(() => undefined);
  }
}
