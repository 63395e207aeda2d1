import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalendarSource, computeDue } from '../../activities/calendar';
import type { AuthUser } from '../auth/auth-user';
import { DomainError, notFound, unprocessable } from '../common/domain-error';
import { datasetYears, isIsoDate } from '../domain/calendar/working-days';
import type { CalendarStatus, MarkYearResult, OverrideView, PutOverrideResult, WorkingDaysResult } from './calendar.dto';
import { MAX_YEAR, MIN_YEAR } from './calendar.dto';
import { shanghaiToday } from './iso-date';

export function fallbackWarning(years: number[]): string {
  const list = years.join('、');
  const listEn = years.join(', ');
  return `${list} 年节假日安排尚未录入，当前仅按周末计算工作日 / ${listEn} holidays not entered yet: working days count weekends only`;
}

const OVERRIDE_COLUMNS = `to_char(date, 'YYYY-MM-DD') AS date, kind, name, created_by AS "createdBy", created_at AS "createdAt"`;

/**
 * The working-day calendar's admin table (holidays, make-up workdays, years marked complete)
 * and due-date lookups. Lookups use the same CalendarSource as the worker's computeDue
 * activity, so the API answers exactly what a new task would get.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly ds: DataSource,
    private readonly source: CalendarSource,
  ) {}

  async status(year: number): Promise<CalendarStatus> {
    const [counts, marked] = await Promise.all([
      this.counts(year),
      this.ds.query(`SELECT source, created_at AS "createdAt" FROM calendar_year WHERE year = $1`, [year]) as Promise<{ source: string | null; createdAt: Date }[]>,
    ]);
    const dataset = datasetYears();
    const inDataset = dataset.includes(year);
    // Read from the table, not the cached calendar, so the status is current on every replica.
    const coverage = marked[0] ? 'admin' : inDataset ? 'official' : 'fallback';
    return {
      year,
      coverage,
      warning: coverage === 'fallback' ? fallbackWarning([year]) : null,
      overrides: counts,
      markedComplete: marked[0] ? { source: marked[0].source, createdAt: new Date(marked[0].createdAt).toISOString() } : null,
      inDataset,
      datasetYears: dataset,
    };
  }

  async listOverrides(year?: number): Promise<{ items: OverrideView[] }> {
    const rows: OverrideView[] = year === undefined
      ? await this.ds.query(`SELECT ${OVERRIDE_COLUMNS} FROM calendar_override ORDER BY date`)
      : await this.ds.query(`SELECT ${OVERRIDE_COLUMNS} FROM calendar_override WHERE date >= make_date($1, 1, 1) AND date < make_date($1 + 1, 1, 1) ORDER BY date`, [year]);
    return { items: rows.map(iso) };
  }

  async putOverride(user: AuthUser, date: string, kind: 'holiday' | 'workday', name: string): Promise<PutOverrideResult> {
    checkDate(date);
    const rows: (OverrideView & { created: boolean })[] = await this.ds.query(
      `INSERT INTO calendar_override (date, kind, name, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (date) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, created_by = EXCLUDED.created_by
       RETURNING ${OVERRIDE_COLUMNS}, (xmax = 0) AS created`,
      [date, kind, name, user.id],
    );
    this.source.invalidate();
    return iso(rows[0]);
  }

  async deleteOverride(date: string): Promise<void> {
    checkDate(date);
    // TypeORM's postgres driver answers a DELETE with [rows, affectedCount].
    const [, deleted]: [unknown[], number] = await this.ds.query(`DELETE FROM calendar_override WHERE date = $1`, [date]);
    if (!deleted) throw notFound(`${date} 的节假日调整 / calendar override for ${date}`);
    this.source.invalidate();
  }

  /**
   * Marks a year's admin table complete: the bundled dataset is then ignored for that year.
   * Refused while the year has no holiday entered, since every year has at least New Year's Day
   * and an empty "complete" year would silently mean weekends only without the fallback warning.
   */
  async markYear(year: number, source: string): Promise<MarkYearResult> {
    checkYear(year);
    const counts = await this.counts(year);
    if (counts.holidays === 0) {
      throw unprocessable(
        'YEAR_EMPTY',
        `${year} 年尚未录入任何节假日，请先逐日录入全年安排再标记为完整 / no holiday entered for ${year} yet: enter the whole schedule before marking the year complete`,
      );
    }
    await this.ds.query(
      `INSERT INTO calendar_year (year, source) VALUES ($1, $2) ON CONFLICT (year) DO UPDATE SET source = EXCLUDED.source`,
      [year, source],
    );
    this.source.invalidate();
    return { year, source, overrides: counts };
  }

  async unmarkYear(year: number): Promise<void> {
    checkYear(year);
    const [, deleted]: [unknown[], number] = await this.ds.query(`DELETE FROM calendar_year WHERE year = $1`, [year]);
    if (!deleted) throw notFound(`${year} 年的完整标记 / completeness mark for ${year}`);
    this.source.invalidate();
  }

  /** The due date a task opened on `from` with an n-working-day limit would get (same code as the worker). */
  async workingDays(from: string, n: number): Promise<WorkingDaysResult> {
    const due = await computeDue(this.source, { from: `${from}T00:00:00+08:00`, workingDays: n, remindBefore: [] });
    const cal = await this.source.get();
    const missing = [...new Set([Number(from.slice(0, 4)), Number(due.dueDate.slice(0, 4))])].filter((y) => cal.coverage(y) === 'fallback');
    return {
      from,
      n,
      dueDate: due.dueDate,
      dueAt: due.dueAt,
      coverage: due.coverage,
      warning: missing.length ? fallbackWarning(missing) : null,
    };
  }

  currentYear(): number {
    return Number(shanghaiToday().slice(0, 4));
  }

  private async counts(year: number): Promise<{ holidays: number; workdays: number }> {
    const rows: { holidays: number; workdays: number }[] = await this.ds.query(
      `SELECT count(*) FILTER (WHERE kind = 'holiday')::int AS holidays, count(*) FILTER (WHERE kind = 'workday')::int AS workdays
       FROM calendar_override WHERE date >= make_date($1, 1, 1) AND date < make_date($1 + 1, 1, 1)`,
      [year],
    );
    return rows[0];
  }
}

function iso<T extends { createdAt: unknown }>(r: T): T & { createdAt: string } {
  return { ...r, createdAt: new Date(r.createdAt as string).toISOString() };
}

function checkDate(date: string): void {
  if (!isIsoDate(date)) throw new DomainError(400, 'VALIDATION_FAILED', `日期须为有效的 YYYY-MM-DD（${date}） / date must be a real YYYY-MM-DD date (${date})`);
  const y = Number(date.slice(0, 4));
  if (y < MIN_YEAR || y > MAX_YEAR) throw new DomainError(400, 'VALIDATION_FAILED', `年份须在${MIN_YEAR}至${MAX_YEAR}之间 / year must be ${MIN_YEAR}-${MAX_YEAR}`);
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new DomainError(400, 'VALIDATION_FAILED', `年份须在${MIN_YEAR}至${MAX_YEAR}之间 / year must be ${MIN_YEAR}-${MAX_YEAR}`);
  }
}
