import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { RehabReportQuery, SwitchInstitutionDto } from './rehab.dto';
import { RehabService } from './rehab.service';

@ApiTags('child rehabilitation')
@ApiBearerAuth()
@Controller('rehab')
export class RehabController {
  constructor(private readonly rehab: RehabService) {}

  @Get('institutions/:id/waitlist')
  @ApiOperation({
    summary: 'An institution’s waitlist in order (priority, then time joined), with places used and free',
    description: 'Names and case links only for children in your area; the institution’s staff see case numbers.',
  })
  waitlist(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.rehab.waitlist(user, id);
  }

  @Get('cases/:caseId/service-year')
  @ApiOperation({
    summary: 'The child’s current service year: training months (cap, used, left), institution and agreement dates, approved items with settled and remaining amounts',
    description: 'Same scope as the case: staff of the child’s area, the institution’s staff for their own children.',
  })
  serviceYear(@CurrentUser() user: AuthUser, @Param('caseId', new ParseUUIDPipe()) caseId: string) {
    return this.rehab.serviceYear(user, caseId);
  }

  @Post('cases/:caseId/switch')
  @HttpCode(200)
  @Roles('village_caseworker', 'township_officer', 'county_officer')
  @ApiOperation({ summary: 'Switch the child to another designated institution: ends the current agreement; the county re-approves' })
  switch(@CurrentUser() user: AuthUser, @Param('caseId', new ParseUUIDPipe()) caseId: string, @Body() dto: SwitchInstitutionDto) {
    return this.rehab.switchInstitution(user, caseId, dto);
  }

  @Get('report')
  @ApiOperation({ summary: 'Yearly figures: children served by category, institution and county; money settled; effective rate' })
  report(@CurrentUser() user: AuthUser, @Query() q: RehabReportQuery) {
    return this.rehab.report(user, q);
  }
}
