import { Module } from '@nestjs/common';
import { ProgrammeSettingsService } from '../programmes/programme-settings.service';
import { TaskUpdates } from '../tasks/task-updates';
import { MonitoringActionsService } from './actions.service';
import { CaseWhyController, MonitoringController } from './monitoring.controller';
import { MonitoringService } from './monitoring.service';
import { WorkdayService } from './workday.service';

/**
 * Issue 7, part 1: what is stuck and why, and acting on it (reassign, bulk reassign, nudge,
 * escalate, extend). WorkdayService keeps the `workday` table (working-day arithmetic in SQL)
 * current; the reports module uses it too.
 */
@Module({
  controllers: [MonitoringController, CaseWhyController],
  providers: [MonitoringService, MonitoringActionsService, WorkdayService, ProgrammeSettingsService, TaskUpdates],
  exports: [WorkdayService, MonitoringService],
})
export class MonitoringModule {}
