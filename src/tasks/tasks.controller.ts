import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { DomainError } from '../common/domain-error';
import { DecisionDto, FollowUpDto, FollowUpQuery, InboxQuery } from './tasks.dto';
import { TasksService } from './tasks.service';

/** Task ids are `<caseId>-t<seq>`; anything else is a 400, not a lookup. */
const TaskIdPipe = {
  transform(v: string) {
    if (!/^[0-9a-f-]{36}-t\d{1,6}$/.test(v)) throw new DomainError(400, 'VALIDATION_FAILED', '任务编号格式不正确 / taskId is malformed');
    return v;
  },
};

@ApiTags('tasks')
@ApiBearerAuth()
@Controller()
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get('inbox')
  @ApiOperation({ summary: 'My inbox: assigned to me + claimable in my role and area; filters; keyset pages' })
  inbox(@CurrentUser() user: AuthUser, @Query() q: InboxQuery) {
    return this.tasks.inbox(user, q);
  }

  @Get('followups')
  @ApiOperation({ summary: 'Follow-up visits in my area (or of my institution) by due date' })
  followUps(@CurrentUser() user: AuthUser, @Query() q: FollowUpQuery) {
    return this.tasks.followUps(user, q);
  }

  @Get('cases/:caseId/tasks')
  @ApiOperation({ summary: 'Tasks of a case' })
  forCase(@CurrentUser() user: AuthUser, @Param('caseId', new ParseUUIDPipe()) caseId: string) {
    return this.tasks.forCase(user, caseId);
  }

  @Post('cases/:caseId/tasks/:taskId/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Claim a task: it leaves the unclaimed queue of my peers' })
  claim(@CurrentUser() user: AuthUser, @Param('caseId', new ParseUUIDPipe()) caseId: string, @Param('taskId', TaskIdPipe) taskId: string) {
    return this.tasks.act(user, caseId, taskId, 'claim', {});
  }

  @Post('cases/:caseId/tasks/:taskId/decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve, reject (reason), return for information (reason), reassign (toUserId) or submit a record (data)' })
  decide(@CurrentUser() user: AuthUser, @Param('caseId', new ParseUUIDPipe()) caseId: string, @Param('taskId', TaskIdPipe) taskId: string, @Body() dto: DecisionDto) {
    return this.tasks.act(user, caseId, taskId, dto.action, dto);
  }

  @Post('cases/:caseId/tasks/:taskId/followup')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the outcome of a follow-up visit (programme-specific fields)' })
  followUp(@CurrentUser() user: AuthUser, @Param('caseId', new ParseUUIDPipe()) caseId: string, @Param('taskId', TaskIdPipe) taskId: string, @Body() dto: FollowUpDto) {
    return this.tasks.act(user, caseId, taskId, 'submit', dto, 'followup');
  }
}
