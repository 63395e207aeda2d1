import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { NotificationsWorkerModule } from './notifications/notifications-worker.module';
import { QueuesModule } from './queues/queues.module';
import { ActivitiesFactory } from './temporal/activities.factory';
import { TemporalWorkerService } from './temporal/temporal-worker.service';

/** The worker process: Temporal Worker (workflows + activities) and BullMQ processors. No HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, QueuesModule, NotificationsWorkerModule],
      providers: [ActivitiesFactory, TemporalWorkerService],
    };
  }
}
