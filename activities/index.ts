/**
 * createActivities(deps): every activity the case workflows call, bound to its dependencies.
 * Activities run at least once, so each is idempotent (unique keys, upserts, BullMQ jobIds).
 */
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { CalendarSource, computeDue } from './calendar';
import { childRehabActivities } from './child-rehab';
import { reserveHospital } from './hospital';
import { enqueueNotifications } from './notifications';
import { createOpsActivities } from './ops';
import { projectCase } from './projection';
import { createTrainingActivities } from './training';
import type { CaseActivities } from './types';

export interface ActivityDeps {
  ds: DataSource;
  notifications: Queue;
  calendar?: CalendarSource;
  /** Temporal client for activities that act on other workflows (bulk operations, activities/ops.ts). */
  temporal?: import('@temporalio/client').Client;
}

export function createActivities(deps: ActivityDeps): CaseActivities {
  const calendar = deps.calendar ?? new CalendarSource(deps.ds);
  return {
    computeDue: (input) => computeDue(calendar, input),
    projectCase: (batch) => projectCase(deps.ds, batch),
    enqueueNotifications: (reqs) => enqueueNotifications(deps.ds, deps.notifications, reqs),
    reserveHospital: (input) => reserveHospital(deps.ds, input),
    ...childRehabActivities(deps.ds),
    ...createTrainingActivities(deps.ds),
    ...createOpsActivities(deps),
  };
}

export type { CaseActivities } from './types';
