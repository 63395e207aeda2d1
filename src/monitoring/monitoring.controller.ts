import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { DomainError } from '../common/domain-error';
import { MonitoringActionsService } from './actions.service';
import { BottleneckQuery, BulkReassignDto, EscalateDto, ExtendDto, NudgeDto, ReassignDto, ScopeQuery, StuckQuery, SummaryQuery } from './monitoring.dto';
import { MonitoringService } from './monitoring.service';

/** Who may look at the monitor (in their scope). */
const SUPERVISORS = ['manager', 'county_officer', 'admin'] as const;

/** Task ids are `<caseId>-t<seq>`; anything else is a 400, not a lookup. */
const TaskIdPipe = {
  transform(v: string) {
    if (!/^[0-9a-f-]{36}-t\d{1,6}$/.test(v)) throw new DomainError(400, 'VALIDATION_FAILED', '任务编号格式不正确 / taskId is malformed');
    return v;
  },
};

@ApiTags('monitoring')
@ApiBearerAuth()
@Controller('monitoring')
@Roles(...SUPERVISORS)
export class MonitoringController {
  constructor(
    private readonly monitoring: MonitoringService,
    private readonly actions: MonitoringActionsService,
  ) {}

  @Get('stuck')
  @ApiOperation({ summary: 'Stuck tasks of one category (overdue, no progress for N working days, follow-ups overdue, partners not acknowledging), oldest first, keyset pages, each with its why-stuck line' })
  stuck(@CurrentUser() user: AuthUser, @Query() q: StuckQuery) {
    return this.monitoring.stuck(user, q);
  }

  @Get('summary')
  @ApiOperation({ summary: 'Counts per category, aging buckets by programme × step × org unit, the ten oldest open tasks with why-stuck lines' })
  summary(@CurrentUser() user: AuthUser, @Query() q: SummaryQuery) {
    return this.monitoring.summary(user, q);
  }

  @Get('workload')
  @ApiOperation({ summary: 'Per caseworker: open, due this week, overdue; plus unclaimed pools per role and org unit' })
  workload(@CurrentUser() user: AuthUser, @Query() q: ScopeQuery) {
    return this.monitoring.workload(user, q);
  }

  @Get('bottlenecks')
  @ApiOperation({ summary: 'Per programme and step: median and p90 working days spent (tasks completed in the period) and cases waiting now per org unit (heatmap)' })
  bottlenecks(@CurrentUser() user: AuthUser, @Query() q: BottleneckQuery) {
    return this.monitoring.bottlenecks(user, q);
  }

  @Post('tasks/:taskId/reassign')
  @HttpCode(200)
  @Roles('manager')
  @ApiOperation({ summary: 'Reassign one task to another person (role and scope checked by the case workflow)' })
  reassign(@CurrentUser() user: AuthUser, @Param('taskId', TaskIdPipe) taskId: string, @Body() dto: ReassignDto) {
    return this.actions.reassign(user, taskId, dto);
  }

  @Post('tasks/:taskId/nudge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the assignee (or the unclaimed pool) a reminder now' })
  nudge(@CurrentUser() user: AuthUser, @Param('taskId', TaskIdPipe) taskId: string, @Body() dto: NudgeDto) {
    return this.actions.nudge(user, taskId, dto);
  }

  @Post('tasks/:taskId/escalate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Escalate now to the next level and the managers over the task (reason required)' })
  escalate(@CurrentUser() user: AuthUser, @Param('taskId', TaskIdPipe) taskId: string, @Body() dto: EscalateDto) {
    return this.actions.escalate(user, taskId, dto);
  }

  @Post('tasks/:taskId/extend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Extend the due date by N working days or to a date (reason required); reminders and escalation follow the new date' })
  extend(@CurrentUser() user: AuthUser, @Param('taskId', TaskIdPipe) taskId: string, @Body() dto: ExtendDto) {
    return this.actions.extend(user, taskId, dto);
  }

  @Post('bulk-reassign')
  @HttpCode(202)
  @Roles('manager')
  @ApiOperation({ summary: 'Reassign every open task a (departed) caseworker holds in my scope: a tracked operation' })
  bulkReassign(@CurrentUser() user: AuthUser, @Body() dto: BulkReassignDto) {
    return this.actions.bulkReassign(user, dto);
  }

  @Get('operations')
  @ApiOperation({ summary: 'The latest bulk operations started in my scope' })
  operations(@CurrentUser() user: AuthUser) {
    return this.actions.operations(user);
  }

  @Get('operations/:id')
  @ApiOperation({ summary: 'Progress of a bulk operation, with per-case failures and their reasons' })
  operation(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.actions.operation(user, id);
  }
}

/** GET /cases/:caseId/why: what the case waits for (read model + the workflow's own view). */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseWhyController {
  constructor(private readonly monitoring: MonitoringService) {}

  @Get(':caseId/why')
  @ApiOperation({ summary: 'Why is this case stuck: step, role, org unit, assignee, since when, working days left or overdue, waiting on whom' })
  why(@CurrentUser() user: AuthUser, @Param('caseId', new ParseUUIDPipe()) caseId: string) {
    return this.monitoring.why(user, caseId);
  }
}
