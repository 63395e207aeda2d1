import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalendarSource } from '../../activities/calendar';
import { CalendarAdminController, CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

/**
 * Working-day calendar: admin table and due-date lookups. One CalendarSource per process
 * (cached 60 s like the worker's; this process drops its cache on every admin change, other
 * processes pick the change up within the minute).
 */
@Module({
  controllers: [CalendarController, CalendarAdminController],
  providers: [
    { provide: CalendarSource, inject: [DataSource], useFactory: (ds: DataSource) => new CalendarSource(ds) },
    CalendarService,
  ],
  exports: [CalendarSource, CalendarService],
})
export class CalendarModule {}
