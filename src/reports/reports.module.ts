import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
import { YearlyReportService } from './yearly-report.service';

/** Issue 7, part 2: the yearly report computed from the cases, with drill-down and Excel/CSV export. */
@Module({ controllers: [ReportsController], providers: [YearlyReportService], exports: [YearlyReportService] })
export class ReportsModule {}
