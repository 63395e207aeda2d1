import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { QueuesModule } from './queues/queues.module';
import { TemporalClientModule } from './temporal/temporal-client.module';

/** The api process: HTTP, auth, scope checks, commands to Temporal, reads from Postgres. */
@Module({})
export class AppModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, QueuesModule, TemporalClientModule],
      controllers: [HealthController],
    };
  }
}
