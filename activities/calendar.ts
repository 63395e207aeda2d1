import { DataSource } from 'typeorm';
import { endOfShanghaiDay, shanghaiDate, shanghaiDateTime, WorkingDayCalendar } from '../src/domain/calendar/working-days';
import type { DueInput, DueResult } from './types';

/**
 * Builds the working-day calendar from the bundled dataset plus the admin table, cached for a
 * minute so a newly entered holiday takes effect quickly without a query per task.
 */
export class CalendarSource {
  private cached?: { at: number; cal: WorkingDayCalendar };
  constructor(private readonly ds: DataSource, private readonly ttlMs = 60_000) {}

  async get(): Promise<WorkingDayCalendar> {
    if (this.cached && Date.now() - this.cached.at < this.ttlMs) return this.cached.cal;
    const overrides: { date: string; kind: 'holiday' | 'workday'; name: string | null }[] = await this.ds.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM calendar_override ORDER BY date`,
    );
    const years: { year: number }[] = await this.ds.query(`SELECT year FROM calendar_year`);
    const cal = new WorkingDayCalendar({
      overrides: overrides.map((o) => ({ date: o.date, kind: o.kind, name: o.name ?? undefined })),
      overrideYears: years.map((y) => Number(y.year)),
    });
    this.cached = { at: Date.now(), cal };
    return cal;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}

/**
 * Due date of a task: `workingDays` working days after the day it opened (Asia/Shanghai),
 * due at the end of that day; reminders at 09:00 on the working days `remindBefore` before it.
 * Computed here (not in the workflow) and recorded in history, so new holiday data never
 * changes the replay of an open case.
 */
export async function computeDue(source: CalendarSource, input: DueInput): Promise<DueResult> {
  const cal = await source.get();
  const startDay = shanghaiDate(new Date(input.from));
  const dueDate = cal.addWorkingDays(startDay, input.workingDays);
  const opened = Date.parse(input.from);
  const reminders = [...new Set(input.remindBefore)]
    .filter((n) => n > 0)
    .map((n) => shanghaiDateTime(cal.subtractWorkingDays(dueDate, n), 9, 0))
    .filter((d) => d.getTime() > opened)
    .sort((a, b) => a.getTime() - b.getTime())
    .map((d) => d.toISOString());
  const years = new Set([Number(startDay.slice(0, 4)), Number(dueDate.slice(0, 4))]);
  const coverages = [...years].map((y) => cal.coverage(y));
  const coverage = coverages.includes('fallback') ? 'fallback' : coverages.includes('admin') ? 'admin' : 'official';
  return { dueDate, dueAt: endOfShanghaiDay(dueDate).toISOString(), reminders, coverage };
}
