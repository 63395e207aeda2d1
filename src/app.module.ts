import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { CasesModule } from './cases/cases.module';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { NotificationsModule } from './notifications/notifications.module';
import { OrgsModule } from './orgs/orgs.module';
import { PersonsModule } from './persons/persons.module';
import { ProgrammesModule } from './programmes/programmes.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { QueuesModule } from './queues/queues.module';
import { ReportsModule } from './reports/reports.module';
import { RehabModule } from './rehab/rehab.module';
import { TasksModule } from './tasks/tasks.module';
import { TemporalClientModule } from './temporal/temporal-client.module';
import { TrainingModule } from './training/training.module';
import { WebModule } from './web/web.module';

/**
 * The api process: HTTP, auth, scope checks, commands to Temporal, reads from Postgres.
 * A request travels: auth/ (guard: token, role) → <feature>/controller (DTO validation) →
 * <feature>/service (org scope, rules) → Temporal Update/start or Postgres read model.
 */
@Module({})
export class AppModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        QueuesModule,
        TemporalClientModule,
        AuditModule,
        AuthModule,
        OrgsModule,
        PersonsModule,
        CalendarModule,
        ProgrammesModule,
        CasesModule,
        TasksModule,
        RehabModule,
        TrainingModule,
        NotificationsModule,
        MonitoringModule,
        ReportsModule,
        WebModule, // the web app (dist/web) at /, after every API route
      ],
      controllers: [HealthController],
    };
  }
}
