import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { QueuesModule } from '../queues/queues.module';
import { NotifierService } from './notifier.service';

/** Worker side of notifications: router, channel workers, digest scheduler (see NotifierService). */
@Module({ providers: [NotifierService], exports: [NotifierService] })
export class NotificationsWorkerModule {}

/**
 * A process that only delivers notifications (no Temporal Worker): `node dist/src/notifications/notifier.js`.
 * The regular worker process runs the same module; this one lets delivery scale on its own and is
 * what the crash test and the benchmark start.
 */
@Module({})
export class NotifierAppModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: NotifierAppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, QueuesModule, NotificationsWorkerModule],
    };
  }
}
