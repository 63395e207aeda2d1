import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller';

/** api side of notifications: reading and acknowledging them. Delivery runs in the worker (NotificationProcessor). */
@Module({ controllers: [NotificationsController] })
export class NotificationsModule {}
