/**
 * Working-day calendar for mainland China, including make-up workdays (调休).
 *
 * Precedence for a given date:
 *   1. admin overrides (a table maintained by the federation), then
 *   2. for years listed in `overrideYears`: nothing else — the admin table is
 *      authoritative and complete, so un-overridden dates follow the weekend rule;
 *   3. otherwise the State Council arrangement shipped in the `chinese-days`
 *      npm package (its `dist/chinese-days.json`, the documented
 *      language-neutral data file), for the years it covers;
 *   4. otherwise the plain weekend rule (Sat/Sun off), reported as "fallback"
 *      so callers can warn that holidays are unknown for that year.
 *
 * Dates are 'YYYY-MM-DD' strings and all arithmetic is done on whole days in
 * UTC. China has used a single fixed offset (UTC+8, Asia/Shanghai) with no
 * daylight saving since 1991, so converting between instants and Chinese
 * calendar dates only needs a constant 8-hour shift: no timezone library.
 *
 * Pure module apart from reading the JSON data file at load time.
 */
import chineseDaysData from 'chinese-days/dist/chinese-days.json';

export type IsoDate = string;

export type DayOverride = { date: IsoDate; kind: 'holiday' | 'workday'; name?: string };

export type DayReason = 'weekday' | 'weekend' | 'holiday' | 'makeup-workday';
export type DaySource = 'admin' | 'dataset' | 'fallback';
export type YearCoverage = 'official' | 'admin' | 'fallback';

export interface DayDescription {
  working: boolean;
  reason: DayReason;
  /** zh-CN name of the holiday/arrangement (dataset) or the override's name. */
  name?: string;
  /** English name, only for dataset entries. */
  nameEn?: string;
  source: DaySource;
}

export interface WorkingDayCalendarOptions {
  overrides?: DayOverride[];
  /** Years for which the admin table is authoritative and complete (dataset ignored). */
  overrideYears?: number[];
}

const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** Upper bound on n / span to stop runaway loops from bad input. */
const MAX_DAYS = 100_000;

// ---------------------------------------------------------------------------
// Date-only helpers. A date is handled as its "epoch day" (days since
// 1970-01-01, UTC), which makes adding days and weekday lookup trivial.
// ---------------------------------------------------------------------------

/** Parse a strict, real YYYY-MM-DD date into an epoch day. */
function toEpochDay(date: string, what = 'date'): number {
  const m = typeof date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    // setUTCFullYear avoids Date.UTC's mapping of years 0-99 to 1900-1999.
    const t = new Date(0);
    t.setUTCFullYear(y, mo - 1, d);
    // Round-trip check rejects 2026-02-30, 2026-13-01 and the like.
    if (t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d) {
      return Math.floor(t.getTime() / MS_PER_DAY);
    }
  }
  throw new RangeError(`${what} must be a real calendar date in YYYY-MM-DD format, got ${JSON.stringify(date)}`);
}

function fromEpochDay(day: number): IsoDate {
  return isoFromUtcFields(new Date(day * MS_PER_DAY));
}

function isoFromUtcFields(d: Date): IsoDate {
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday (4). */
function weekdayOf(epochDay: number): number {
  return (((epochDay + 4) % 7) + 7) % 7;
}

function isWeekend(epochDay: number): boolean {
  const wd = weekdayOf(epochDay);
  return wd === 0 || wd === 6;
}

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_DAYS) {
    throw new RangeError(`${what} must be an integer between 0 and ${MAX_DAYS}, got ${n}`);
  }
}

/** True if `s` is a real YYYY-MM-DD date. */
export function isIsoDate(s: unknown): s is IsoDate {
  try {
    toEpochDay(s as string);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// chinese-days dataset
// ---------------------------------------------------------------------------

interface DatasetEntry {
  name: string;
  nameEn: string;
}

interface Dataset {
  holidays: ReadonlyMap<IsoDate, DatasetEntry>;
  workdays: ReadonlyMap<IsoDate, DatasetEntry>;
  years: ReadonlySet<number>;
}

/**
 * chinese-days stores each entry as "English name,中文名,id", e.g.
 * "National Day,国庆节,3". Its `holidays` map lists every day off of a holiday
 * block (including the weekend days inside it); `workdays` lists the make-up
 * workdays; `inLieuDays` (days off that are "paid back" by a make-up workday)
 * is a subset of `holidays` and is not needed here.
 */
function loadDataset(raw: unknown): Dataset {
  const data = raw as { holidays?: unknown; workdays?: unknown };
  const parse = (table: unknown, label: string): Map<IsoDate, DatasetEntry> => {
    if (typeof table !== 'object' || table === null) {
      throw new Error(`chinese-days data: "${label}" table missing; has the package's data format changed?`);
    }
    const out = new Map<IsoDate, DatasetEntry>();
    for (const [date, value] of Object.entries(table as Record<string, unknown>)) {
      if (!isIsoDate(date) || typeof value !== 'string') {
        throw new Error(`chinese-days data: unexpected entry ${JSON.stringify(date)} in "${label}"`);
      }
      const parts = value.split(',');
      // Last part is a numeric id, the one before it the Chinese name; the
      // English name is everything before that (in case it ever has a comma).
      const name = parts.length >= 3 ? parts[parts.length - 2] : value;
      const nameEn = parts.length >= 3 ? parts.slice(0, -2).join(',') : value;
      out.set(date, { name, nameEn });
    }
    return out;
  };
  const holidays = parse(data.holidays, 'holidays');
  const workdays = parse(data.workdays, 'workdays');
  // A year is covered when the dataset lists any day off in it. Every year has
  // at least New Year's Day, so a covered year is never empty.
  const years = new Set<number>([...holidays.keys()].map((d) => Number(d.slice(0, 4))));
  return { holidays, workdays, years };
}

const DATASET: Dataset = loadDataset(chineseDaysData);

/** Years (ascending) for which the bundled chinese-days data has the official arrangement. */
export function datasetYears(): number[] {
  return [...DATASET.years].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------
// Calendar
// ---------------------------------------------------------------------------

export class WorkingDayCalendar {
  private readonly overrides = new Map<IsoDate, DayOverride>();
  private readonly overrideYears: ReadonlySet<number>;

  /**
   * @throws RangeError on a malformed override date/kind, a date listed twice,
   *   or an override year that is not an integer 1000-9999.
   */
  constructor(opts: WorkingDayCalendarOptions = {}) {
    for (const o of opts.overrides ?? []) {
      toEpochDay(o.date, 'override date');
      if (o.kind !== 'holiday' && o.kind !== 'workday') {
        throw new RangeError(`override kind must be "holiday" or "workday", got ${JSON.stringify(o.kind)} for ${o.date}`);
      }
      if (this.overrides.has(o.date)) throw new RangeError(`duplicate override for ${o.date}`);
      this.overrides.set(o.date, { ...o });
    }
    for (const y of opts.overrideYears ?? []) {
      if (!Number.isInteger(y) || y < 1000 || y > 9999) throw new RangeError(`invalid override year ${y}`);
    }
    this.overrideYears = new Set(opts.overrideYears ?? []);
  }

  /**
   * Where the holiday arrangement for `year` comes from:
   * - 'admin': the year is in `overrideYears` (takes precedence over the dataset);
   * - 'official': chinese-days has the State Council arrangement;
   * - 'fallback': neither — only weekends are treated as days off.
   * Individual admin overrides in an 'official' or 'fallback' year do not
   * change the year's coverage (see `describe().source` per date).
   */
  coverage(year: number): YearCoverage {
    if (this.overrideYears.has(year)) return 'admin';
    if (DATASET.years.has(year)) return 'official';
    return 'fallback';
  }

  /** Full explanation of one date. */
  describe(date: IsoDate): DayDescription {
    return this.describeDay(toEpochDay(date), date);
  }

  isWorkingDay(date: IsoDate): boolean {
    return this.describe(date).working;
  }

  /**
   * The n-th working day strictly after `start`. `start` itself is never
   * counted, whether or not it is a working day; n = 0 returns `start`
   * unchanged (even if it is a day off). So for a 5-working-day deadline on a
   * case received on `start`, the due date is `addWorkingDays(start, 5)`.
   *
   * Invariant: `workingDaysBetween(start, addWorkingDays(start, n)) === n`,
   * and for n >= 1 the result is always a working day.
   */
  addWorkingDays(start: IsoDate, n: number): IsoDate {
    checkCount(n, 'n');
    return fromEpochDay(this.step(toEpochDay(start, 'start'), n, 1));
  }

  /**
   * The n-th working day strictly before `date` (mirror of addWorkingDays);
   * n = 0 returns `date`. For n >= 1 the result is always a working day.
   */
  subtractWorkingDays(date: IsoDate, n: number): IsoDate {
    checkCount(n, 'n');
    return fromEpochDay(this.step(toEpochDay(date), n, -1));
  }

  /**
   * Number of working days in the half-open interval (from, to]: `from` is
   * excluded, `to` included. 0 when from === to. If to < from the result is
   * the negated count of (to, from], so
   * `workingDaysBetween(a, b) === -workingDaysBetween(b, a)`.
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const a = toEpochDay(from, 'from');
    const b = toEpochDay(to, 'to');
    if (b < a) return -this.countIn(b, a);
    return this.countIn(a, b);
  }

  // -- internals ------------------------------------------------------------

  private countIn(lowExclusive: number, highInclusive: number): number {
    if (highInclusive - lowExclusive > MAX_DAYS) throw new RangeError(`range longer than ${MAX_DAYS} days`);
    let count = 0;
    for (let d = lowExclusive + 1; d <= highInclusive; d++) {
      if (this.describeDay(d).working) count++;
    }
    return count;
  }

  private step(from: number, n: number, dir: 1 | -1): number {
    let d = from;
    let remaining = n;
    // Terminates: outside the finite override table and dataset, at least 5
    // of every 7 days are working days.
    while (remaining > 0) {
      d += dir;
      if (this.describeDay(d).working) remaining--;
    }
    return d;
  }

  private describeDay(epochDay: number, iso: IsoDate = fromEpochDay(epochDay)): DayDescription {
    const weekend = isWeekend(epochDay);

    const override = this.overrides.get(iso);
    if (override) {
      const working = override.kind === 'workday';
      const reason: DayReason = working ? (weekend ? 'makeup-workday' : 'weekday') : 'holiday';
      return withName({ working, reason, source: 'admin' }, override.name);
    }

    const year = Number(iso.slice(0, 4));
    if (this.overrideYears.has(year)) {
      return weekend ? { working: false, reason: 'weekend', source: 'admin' } : { working: true, reason: 'weekday', source: 'admin' };
    }

    if (DATASET.years.has(year)) {
      const makeup = DATASET.workdays.get(iso);
      if (makeup) return { working: true, reason: 'makeup-workday', name: makeup.name, nameEn: makeup.nameEn, source: 'dataset' };
      const holiday = DATASET.holidays.get(iso);
      if (holiday) return { working: false, reason: 'holiday', name: holiday.name, nameEn: holiday.nameEn, source: 'dataset' };
      return weekend ? { working: false, reason: 'weekend', source: 'dataset' } : { working: true, reason: 'weekday', source: 'dataset' };
    }

    return weekend ? { working: false, reason: 'weekend', source: 'fallback' } : { working: true, reason: 'weekday', source: 'fallback' };
  }
}

function withName(d: DayDescription, name: string | undefined): DayDescription {
  return name === undefined ? d : { ...d, name };
}

// ---------------------------------------------------------------------------
// Instant <-> Shanghai calendar date
// ---------------------------------------------------------------------------

/** The calendar date (YYYY-MM-DD) of `instant` in Asia/Shanghai (UTC+8). */
export function shanghaiDate(instant: Date): IsoDate {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('shanghaiDate: invalid Date');
  return isoFromUtcFields(new Date(t + SHANGHAI_OFFSET_MS));
}

/** The instant of `hh:mm` on `date` in Asia/Shanghai. */
export function shanghaiDateTime(date: IsoDate, hh: number, mm: number): Date {
  if (!Number.isInteger(hh) || hh < 0 || hh > 23) throw new RangeError(`hour must be an integer 0-23, got ${hh}`);
  if (!Number.isInteger(mm) || mm < 0 || mm > 59) throw new RangeError(`minute must be an integer 0-59, got ${mm}`);
  return new Date(toEpochDay(date) * MS_PER_DAY + (hh * 60 + mm) * 60_000 - SHANGHAI_OFFSET_MS);
}

/** 23:59:59.999 on `date` in Asia/Shanghai, e.g. for "due by end of day". */
export function endOfShanghaiDay(date: IsoDate): Date {
  return new Date((toEpochDay(date) + 1) * MS_PER_DAY - 1 - SHANGHAI_OFFSET_MS);
}
