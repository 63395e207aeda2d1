import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '../audit/audit.interceptor';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { ListCasesQuery, StartCaseDto } from './cases.dto';
import { CasesService } from './cases.service';

// Registration roles are per programme (see src/cases/programmes); these may reach the service at all.
const REGISTRARS = ['village_caseworker', 'township_officer', 'county_officer'] as const;

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post('precheck')
  @Roles(...REGISTRARS)
  @ApiOperation({ summary: 'Eligibility pre-check: every rule with its result, version and reason' })
  async precheck(@CurrentUser() user: AuthUser, @Body() dto: StartCaseDto) {
    const r = await this.cases.precheck(user, dto.programme, dto.personId, dto.details ?? {});
    return { eligible: r.eligible, rules: r.rules, priority: r.priority, ...r.info, settingsVersion: r.settings.version };
  }

  @Post()
  @Roles(...REGISTRARS)
  @ApiOperation({ summary: 'Register a case (422 NOT_ELIGIBLE with the failed rules)' })
  start(@CurrentUser() user: AuthUser, @Body() dto: StartCaseDto) {
    return this.cases.start(user, dto.programme, dto.personId, dto.details ?? {}, dto.receivedAt);
  }

  @Get()
  @ApiOperation({ summary: 'Cases in my scope (keyset pages, newest first)' })
  list(@CurrentUser() user: AuthUser, @Query() q: ListCasesQuery) {
    return this.cases.list(user, q);
  }

  @Get(':caseId')
  @AuditRead('case', 'caseId')
  @ApiOperation({ summary: 'Case detail: person (masked by role), tasks, full timeline' })
  detail(@CurrentUser() user: AuthUser, @Param('caseId', new ParseUUIDPipe()) caseId: string) {
    return this.cases.detail(user, caseId);
  }
}
