import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { createActivities } from '../../activities';
import { NOTIFICATION_QUEUE } from '../queues/redis';

/** Builds the activity implementations with their dependencies from Nest's container. */
@Injectable()
export class ActivitiesFactory {
  constructor(
    private readonly ds: DataSource,
    @InjectQueue(NOTIFICATION_QUEUE) private readonly notifications: Queue,
  ) {}

  create() {
    return createActivities({ ds: this.ds, notifications: this.notifications });
  }
}
