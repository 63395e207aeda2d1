import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import {
  CalendarStatus,
  MarkYearDto,
  MarkYearResult,
  OverrideList,
  PutOverrideDto,
  PutOverrideResult,
  WorkingDaysQuery,
  WorkingDaysResult,
  YearQuery,
} from './calendar.dto';
import { CalendarService } from './calendar.service';

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('working-days')
  @ApiOperation({ summary: 'Due date: the n-th working day after `from` (holidays and make-up workdays included)' })
  @ApiOkResponse({ type: WorkingDaysResult })
  workingDays(@Query() q: WorkingDaysQuery) {
    return this.calendar.workingDays(q.from, q.n);
  }
}

@ApiTags('admin: calendar')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/calendar')
export class CalendarAdminController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('status')
  @ApiOperation({ summary: 'Where a year’s holidays come from (official / admin / fallback), with a warning when missing' })
  @ApiOkResponse({ type: CalendarStatus })
  status(@Query() q: YearQuery) {
    return this.calendar.status(q.year ?? this.calendar.currentYear());
  }

  @Get('overrides')
  @ApiOperation({ summary: 'Admin-entered holidays and make-up workdays (all, or one year)' })
  @ApiOkResponse({ type: OverrideList })
  overrides(@Query() q: YearQuery) {
    return this.calendar.listOverrides(q.year);
  }

  @Put('overrides/:date')
  @ApiParam({ name: 'date', example: '2027-10-01' })
  @ApiOperation({ summary: 'Enter or replace the override for one day (takes effect for new due dates; open tasks keep theirs)' })
  @ApiOkResponse({ type: PutOverrideResult })
  putOverride(@CurrentUser() user: AuthUser, @Param('date') date: string, @Body() dto: PutOverrideDto) {
    return this.calendar.putOverride(user, date, dto.kind, dto.name);
  }

  @Delete('overrides/:date')
  @HttpCode(204)
  @ApiParam({ name: 'date', example: '2027-10-01' })
  @ApiOperation({ summary: 'Remove the override for one day' })
  @ApiNoContentResponse()
  deleteOverride(@Param('date') date: string) {
    return this.calendar.deleteOverride(date);
  }

  @Put('years/:year')
  @ApiOperation({ summary: 'Mark a year’s admin table complete (authoritative over the bundled data); needs at least one holiday entered' })
  @ApiOkResponse({ type: MarkYearResult })
  markYear(@Param('year', new ParseIntPipe()) year: number, @Body() dto: MarkYearDto) {
    return this.calendar.markYear(year, dto.source);
  }

  @Delete('years/:year')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unmark a year: the bundled data (or the weekend fallback) applies again' })
  @ApiNoContentResponse()
  unmarkYear(@Param('year', new ParseIntPipe()) year: number) {
    return this.calendar.unmarkYear(year);
  }
}
