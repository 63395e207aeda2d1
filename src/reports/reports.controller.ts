import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { reportCsv, reportXlsx } from './export';
import { DrilldownQuery, YearlyQuery } from './reports.dto';
import { YearlyReportService } from './yearly-report.service';

const filename = (r: { year: number; orgUnit: { code: string } }, ext: string) => `yearly-report-${r.orgUnit.code}-${r.year}.${ext}`;

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
@Roles('manager', 'county_officer', 'admin')
export class ReportsController {
  constructor(private readonly reports: YearlyReportService) {}

  @Get('yearly')
  @ApiOperation({ summary: 'Yearly figures per programme (served, approved, completed, money settled, outcome rates) for an org unit in my scope' })
  yearly(@CurrentUser() user: AuthUser, @Query() q: YearlyQuery) {
    return this.reports.report(user, q.year, q.orgUnitCode);
  }

  @Get('yearly/drilldown')
  @ApiOperation({ summary: 'The cases behind one figure (e.g. figure=cataract.surgeries)' })
  drilldown(@CurrentUser() user: AuthUser, @Query() q: DrilldownQuery) {
    return this.reports.drilldown(user, q.figure, q.year, q.orgUnitCode);
  }

  @Get('yearly.xlsx')
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({ summary: 'The yearly report as Excel (Chinese headers)' })
  async xlsx(@CurrentUser() user: AuthUser, @Query() q: YearlyQuery, @Res() res: Response) {
    const r = await this.reports.report(user, q.year, q.orgUnitCode);
    const buf = await reportXlsx(r);
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="${filename(r, 'xlsx')}"`);
    res.send(buf);
  }

  @Get('yearly.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The yearly report as CSV (UTF-8 with BOM, Chinese headers)' })
  async csv(@CurrentUser() user: AuthUser, @Query() q: YearlyQuery, @Res() res: Response) {
    const r = await this.reports.report(user, q.year, q.orgUnitCode);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${filename(r, 'csv')}"`);
    res.send(reportCsv(r));
  }
}
