import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalendarSource } from '../../activities/calendar';
import { datasetYears, shanghaiDate, WorkingDayCalendar } from '../domain/calendar/working-days';

const DAY = 86_400_000;
const CHECK_EVERY_MS = 1000;
/** Years kept in the workday table around the current one (older cases rarely matter; bench data fits). */
export const WORKDAY_YEARS_BACK = 10;
export const WORKDAY_YEARS_AHEAD = 2;

export interface WorkdayRows {
  dates: string[];
  working: boolean[];
  n: number[];
}

/** Every day of [fromYear, toYear] with its working flag and the running count of working days. Pure. */
export function workdayRows(cal: WorkingDayCalendar, fromYear: number, toYear: number): WorkdayRows {
  const out: WorkdayRows = { dates: [], working: [], n: [] };
  let n = 0;
  for (let t = Date.UTC(fromYear, 0, 1); t < Date.UTC(toYear + 1, 0, 1); t += DAY) {
    const date = new Date(t).toISOString().slice(0, 10);
    const working = cal.isWorkingDay(date);
    if (working) n++;
    out.dates.push(date);
    out.working.push(working);
    out.n.push(n);
  }
  return out;
}

/**
 * Keeps the `workday` table equal to the working-day calendar (bundled dataset + admin overrides):
 * refreshed at api start and, because every query of the monitoring and report modules first calls
 * `ensureFresh()`, right after any admin change of calendar_override / calendar_year, on whichever
 * api replica serves the next request (a cheap fingerprint of the two admin tables is compared).
 * The refresh is idempotent: it writes only rows whose values differ, under an advisory lock.
 */
@Injectable()
export class WorkdayService implements OnApplicationBootstrap {
  private readonly log = new Logger('Workday');
  private fingerprint: string | null = null;
  private checkedAt = 0;
  /** Bumped on every refresh by this process (callers key their caches of workday-derived values on it). */
  version = 0;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly ds: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.ensureFresh();
    } catch (err) {
      // The api still starts (e.g. database not migrated yet); the first monitoring request retries.
      this.log.warn(`workday table not refreshed at start: ${err instanceof Error ? err.message : err}`);
    }
  }

  window(now = new Date()): { fromYear: number; toYear: number } {
    const y = Number(shanghaiDate(now).slice(0, 4));
    return { fromYear: y - WORKDAY_YEARS_BACK, toYear: y + WORKDAY_YEARS_AHEAD };
  }

  private async currentFingerprint(): Promise<string> {
    const [r] = await this.ds.query(
      `SELECT md5(coalesce((SELECT string_agg(date::text || kind, ',' ORDER BY date) FROM calendar_override), '') || '|' ||
                  coalesce((SELECT string_agg(year::text, ',' ORDER BY year) FROM calendar_year), '')) AS f`,
    );
    const w = this.window();
    return `${r.f}|${w.fromYear}-${w.toYear}|${datasetYears().join(',')}`;
  }

  /**
   * Refreshes the table if the calendar changed since this process last refreshed it. The check is
   * one small query, made at most once a second per process (a change shows within that second).
   */
  async ensureFresh(): Promise<void> {
    if (this.fingerprint !== null && Date.now() - this.checkedAt < CHECK_EVERY_MS) return;
    const f = await this.currentFingerprint();
    this.checkedAt = Date.now();
    if (f === this.fingerprint) return;
    this.refreshing ??= this.refresh().then(
      () => {
        this.fingerprint = f;
        this.version++;
        this.refreshing = null;
      },
      (err) => {
        this.refreshing = null;
        throw err;
      },
    );
    await this.refreshing;
  }

  /** Recomputes every day of the window from a fresh calendar and writes the differences. */
  async refresh(): Promise<{ changed: number }> {
    const cal = await new CalendarSource(this.ds, 0).get(); // no cache: read the admin tables now
    const { fromYear, toYear } = this.window();
    const rows = workdayRows(cal, fromYear, toYear);
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('workday-refresh'))`);
      await m.query(`DELETE FROM workday WHERE date < $1 OR date > $2`, [rows.dates[0], rows.dates.at(-1)]);
      const res: any[] = await m.query(
        `INSERT INTO workday (date, is_working, n)
         SELECT * FROM unnest($1::date[], $2::boolean[], $3::int[])
         ON CONFLICT (date) DO UPDATE SET is_working = EXCLUDED.is_working, n = EXCLUDED.n
         WHERE workday.is_working IS DISTINCT FROM EXCLUDED.is_working OR workday.n IS DISTINCT FROM EXCLUDED.n
         RETURNING date`,
        [rows.dates, rows.working, rows.n],
      );
      const changed = res.length;
      if (changed) this.log.log(`workday table: ${changed} day(s) written (${fromYear}–${toYear})`);
      return { changed };
    });
  }
}
