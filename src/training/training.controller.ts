import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import {
  CreateCourseDto,
  CreatePositionDto,
  EmployerProfileDto,
  ListCoursesQuery,
  ListPositionsQuery,
  ReportQuery,
  UpdateCourseDto,
  UpdatePositionDto,
  YearQuery,
} from './training.dto';
import { TrainingService } from './training.service';

/**
 * Vocational training → placement (培训就业): course catalogue, employers' positions and headcount,
 * institution payment, employer quota and the reports feed. Enrolment is POST /cases
 * {programme: 'training', personId, details: {courseId, education, selfCare}}; every step after it
 * is a task (POST /cases/:id/tasks/:taskId/decision).
 */
@ApiTags('training')
@ApiBearerAuth()
@Controller('training')
export class TrainingController {
  constructor(private readonly training: TrainingService) {}

  @Get('courses')
  @ApiOperation({ summary: 'Courses of the counties on your path or below (institutions: their own), with places taken and the waitlist' })
  listCourses(@CurrentUser() user: AuthUser, @Query() q: ListCoursesQuery) {
    return this.training.listCourses(user, q);
  }

  @Get('courses/:id')
  @ApiOperation({ summary: 'One course with its trainees in your area (waitlist in order)' })
  getCourse(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.training.getCourse(user, id);
  }

  @Post('courses')
  @Roles('county_officer', 'admin')
  @ApiOperation({ summary: 'Add a course to a county plan (type, institution, dates, hours, places, location)' })
  createCourse(@CurrentUser() user: AuthUser, @Body() dto: CreateCourseDto) {
    return this.training.createCourse(user, dto);
  }

  @Put('courses/:id')
  @Roles('county_officer', 'admin')
  @ApiOperation({ summary: 'Change a course (dates, hours and institution only while nobody is enrolled; more places move the waitlist in)' })
  updateCourse(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateCourseDto) {
    return this.training.updateCourse(user, id, dto);
  }

  @Get('courses/:id/payment')
  @Roles('county_officer', 'manager', 'admin', 'partner_staff')
  @ApiOperation({ summary: 'Institution payment: full if pass rate ≥ 80 % and employment rate ≥ 70 %, else per employed trainee; settled once every placement has' })
  payment(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.training.payment(user, id);
  }

  @Get('positions')
  @ApiOperation({ summary: 'Open positions of the employers in your area (employers: their own)' })
  listPositions(@CurrentUser() user: AuthUser, @Query() q: ListPositionsQuery) {
    return this.training.listPositions(user, q);
  }

  @Post('positions')
  @Roles('county_officer', 'admin')
  @ApiOperation({ summary: 'Record an open position at an employer' })
  createPosition(@CurrentUser() user: AuthUser, @Body() dto: CreatePositionDto) {
    return this.training.createPosition(user, dto);
  }

  @Put('positions/:id')
  @Roles('county_officer', 'admin')
  @ApiOperation({ summary: 'Change or close a position' })
  updatePosition(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdatePositionDto) {
    return this.training.updatePosition(user, id, dto);
  }

  @Put('employers/:id/profile')
  @Roles('county_officer', 'admin')
  @ApiOperation({ summary: 'Employer headcount (and a local quota rate) for the quota' })
  setProfile(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: EmployerProfileDto) {
    return this.training.setEmployerProfile(user, id, dto);
  }

  @Get('employers/:id/quota')
  @Roles('county_officer', 'manager', 'admin', 'partner_staff')
  @ApiOperation({
    summary: 'Disabled staff of the employer in a year, counted by the quota rules (contract ≥ 1 y, ≥ minimum wage, social insurance; grade 1–2 double), against headcount × 1.5 %',
    description:
      '按月平均计算 / counted as a monthly average: each counting placement adds weight × months of the year it held ÷ 12 (weight 2 for grade 1–2, else 1; ' +
      'a month counts when the placement held at least one day of it), so someone employed all year counts 1 and someone employed from October 0.25. ' +
      'For the year in progress `counted`, `shortfall` and `met` run to today; `projectedByYearEnd` gives the same figures on 31 December if every ' +
      'running placement holds. Each staff row shows `monthsInYear`, `monthsByYearEnd` and its `credit`; placements that do not count are listed with their reasons.',
  })
  quota(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Query() q: YearQuery) {
    return this.training.quota(user, id, q.year);
  }

  @Get('report')
  @ApiOperation({ summary: 'Reports feed for a plan year: enrolled, trained, certified, employed by channel, retained at 12 months; per county, course and institution' })
  report(@CurrentUser() user: AuthUser, @Query() q: ReportQuery) {
    return this.training.report(user, q.year, q.orgUnitCode);
  }
}
