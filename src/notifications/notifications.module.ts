import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { AdminNotificationsController, CaseDeliveriesController, SmsConsentController } from './deliveries.controller';
import { NotificationStreamService } from './notification-stream.service';
import { NotificationsController } from './notifications.controller';

/**
 * api side of notifications: reading and acknowledging them, the live SSE stream, preferences,
 * per-case delivery history, the admin dead-letter list and residents' SMS consent. Delivery
 * itself runs in the worker (NotificationsWorkerModule).
 */
@Module({
  imports: [CasesModule],
  controllers: [NotificationsController, CaseDeliveriesController, AdminNotificationsController, SmsConsentController],
  providers: [NotificationStreamService],
})
export class NotificationsModule {}
