import chineseDaysData from 'chinese-days/dist/chinese-days.json';
import {
  WorkingDayCalendar,
  datasetYears,
  endOfShanghaiDay,
  isIsoDate,
  shanghaiDate,
  shanghaiDateTime,
} from '../../../src/domain/calendar/working-days';

const raw = chineseDaysData as unknown as { holidays: Record<string, string>; workdays: Record<string, string> };
const cal = new WorkingDayCalendar();

/** Dates in [from, to] of a chinese-days table, sorted. */
function datasetDates(table: Record<string, string>, from: string, to: string): string[] {
  return Object.keys(table)
    .filter((d) => d >= from && d <= to)
    .sort();
}

describe('chinese-days dataset (facts the calendar tests rely on)', () => {
  // These pin the data of the installed chinese-days version. If a package
  // update changes them, review the arrangement and update the tests.
  it('covers 2004-2026 and not 2027', () => {
    const years = datasetYears();
    expect(years[0]).toBe(2004);
    expect(years[years.length - 1]).toBe(2026);
    expect(years).toHaveLength(2026 - 2004 + 1);
  });

  it('has the 2026 National Day / Mid-autumn arrangement: days off 25-27 Sep and 1-7 Oct, make-up Sun 20 Sep and Sat 10 Oct', () => {
    expect(datasetDates(raw.workdays, '2026-09-01', '2026-10-31')).toEqual(['2026-09-20', '2026-10-10']);
    expect(datasetDates(raw.holidays, '2026-09-01', '2026-10-31')).toEqual([
      '2026-09-25', '2026-09-26', '2026-09-27',
      '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',
    ]);
  });

  it('has the 2026 Spring Festival arrangement: days off 15-23 Feb, make-up Sat 14 Feb and Sat 28 Feb', () => {
    expect(datasetDates(raw.workdays, '2026-02-01', '2026-02-28')).toEqual(['2026-02-14', '2026-02-28']);
    const off = datasetDates(raw.holidays, '2026-02-01', '2026-02-28');
    expect(off[0]).toBe('2026-02-15');
    expect(off[off.length - 1]).toBe('2026-02-23');
    expect(off).toHaveLength(9);
  });
});

describe('WorkingDayCalendar with the default dataset', () => {
  describe('2026 National Day (国庆)', () => {
    it('describes holiday days, the make-up Saturday and the ordinary Sunday after it', () => {
      expect(cal.describe('2026-10-01')).toEqual({ working: false, reason: 'holiday', name: '国庆节', nameEn: 'National Day', source: 'dataset' });
      expect(cal.describe('2026-10-07')).toEqual(expect.objectContaining({ working: false, reason: 'holiday' }));
      expect(cal.describe('2026-10-10')).toEqual({ working: true, reason: 'makeup-workday', name: '国庆节', nameEn: 'National Day', source: 'dataset' });
      expect(cal.describe('2026-10-11')).toEqual({ working: false, reason: 'weekend', source: 'dataset' });
      expect(cal.describe('2026-09-20')).toEqual(expect.objectContaining({ working: true, reason: 'makeup-workday' })); // a Sunday
      expect(cal.describe('2026-09-25')).toEqual(expect.objectContaining({ working: false, reason: 'holiday', name: '中秋' }));
      expect(cal.describe('2026-09-30')).toEqual({ working: true, reason: 'weekday', source: 'dataset' });
    });

    it('a due date counted from Mon 28 Sep skips 1-7 Oct and lands on the make-up Saturday 10 Oct', () => {
      // 29 Sep (1), 30 Sep (2), [1-7 Oct off], 8 Oct (3), 9 Oct (4), Sat 10 Oct make-up (5)
      expect(cal.addWorkingDays('2026-09-28', 1)).toBe('2026-09-29');
      expect(cal.addWorkingDays('2026-09-28', 2)).toBe('2026-09-30');
      expect(cal.addWorkingDays('2026-09-28', 3)).toBe('2026-10-08');
      expect(cal.addWorkingDays('2026-09-28', 5)).toBe('2026-10-10');
      // Sun 11 Oct is an ordinary day off, so the 6th is Mon 12 Oct
      expect(cal.addWorkingDays('2026-09-28', 6)).toBe('2026-10-12');
    });

    it('counts from a holiday start and across the make-up Sunday before it', () => {
      expect(cal.addWorkingDays('2026-10-01', 1)).toBe('2026-10-08');
      // Fri 18 Sep -> Sat 19 off, Sun 20 make-up workday
      expect(cal.addWorkingDays('2026-09-18', 1)).toBe('2026-09-20');
      // 10 working days from Thu 17 Sep: 18, 20, 21, 22, 23, 24, 28, 29, 30, 8 Oct
      expect(cal.addWorkingDays('2026-09-17', 10)).toBe('2026-10-08');
    });

    it('subtracts back across the holiday to the make-up Saturday and beyond', () => {
      expect(cal.subtractWorkingDays('2026-10-12', 1)).toBe('2026-10-10');
      expect(cal.subtractWorkingDays('2026-10-12', 2)).toBe('2026-10-09');
      expect(cal.subtractWorkingDays('2026-10-12', 3)).toBe('2026-10-08');
      expect(cal.subtractWorkingDays('2026-10-12', 4)).toBe('2026-09-30');
    });

    it('counts working days over the holiday', () => {
      expect(cal.workingDaysBetween('2026-09-28', '2026-10-10')).toBe(5);
      expect(cal.workingDaysBetween('2026-09-30', '2026-10-07')).toBe(0);
      expect(cal.workingDaysBetween('2026-10-10', '2026-09-28')).toBe(-5);
      // Whole of October 2026: 22 weekdays - 5 holiday weekdays (1,2,5,6,7) + Sat 10 = 18
      expect(cal.workingDaysBetween('2026-09-30', '2026-10-31')).toBe(18);
    });
  });

  describe('2026 Spring Festival (春节)', () => {
    it('treats 15-23 Feb as off and Sat 14 / Sat 28 Feb as make-up workdays', () => {
      expect(cal.isWorkingDay('2026-02-14')).toBe(true);
      expect(cal.isWorkingDay('2026-02-15')).toBe(false);
      expect(cal.describe('2026-02-17')).toEqual(expect.objectContaining({ working: false, reason: 'holiday', name: '春节', nameEn: 'Spring Festival' }));
      expect(cal.isWorkingDay('2026-02-23')).toBe(false); // a Monday
      expect(cal.isWorkingDay('2026-02-24')).toBe(true);
      expect(cal.describe('2026-02-28')).toEqual(expect.objectContaining({ working: true, reason: 'makeup-workday' }));
    });

    it('adds working days across the festival', () => {
      // Thu 12 Feb: 13 (1), Sat 14 make-up (2), [15-23 off], 24 (3), 25, 26, 27 (6), Sat 28 (7), Mon 2 Mar (8)
      expect(cal.addWorkingDays('2026-02-12', 2)).toBe('2026-02-14');
      expect(cal.addWorkingDays('2026-02-12', 3)).toBe('2026-02-24');
      expect(cal.addWorkingDays('2026-02-12', 7)).toBe('2026-02-28');
      expect(cal.addWorkingDays('2026-02-12', 8)).toBe('2026-03-02');
      expect(cal.workingDaysBetween('2026-02-12', '2026-03-02')).toBe(8);
    });
  });

  it('ordinary weeks: weekends off, weekdays on', () => {
    expect(cal.describe('2026-03-07')).toEqual({ working: false, reason: 'weekend', source: 'dataset' }); // Sat
    expect(cal.describe('2026-03-09')).toEqual({ working: true, reason: 'weekday', source: 'dataset' }); // Mon
    expect(cal.addWorkingDays('2026-03-06', 1)).toBe('2026-03-09'); // Fri -> Mon
    expect(cal.addWorkingDays('2026-03-07', 1)).toBe('2026-03-09'); // Sat start -> Mon
  });

  it('n = 0 returns the start date unchanged, even on a day off', () => {
    expect(cal.addWorkingDays('2026-10-03', 0)).toBe('2026-10-03');
    expect(cal.subtractWorkingDays('2026-10-03', 0)).toBe('2026-10-03');
    expect(cal.workingDaysBetween('2026-10-03', '2026-10-03')).toBe(0);
  });

  it('crosses year boundaries (2025 -> 2026 New Year)', () => {
    // 2026-01-01..03 off, Sun 4 Jan make-up workday
    expect(cal.addWorkingDays('2025-12-31', 1)).toBe('2026-01-04');
    expect(cal.subtractWorkingDays('2026-01-04', 1)).toBe('2025-12-31');
  });

  it('coverage: official for dataset years, fallback outside', () => {
    expect(cal.coverage(2004)).toBe('official');
    expect(cal.coverage(2026)).toBe('official');
    expect(cal.coverage(2003)).toBe('fallback');
    expect(cal.coverage(2027)).toBe('fallback');
  });

  it('invariants hold over 2025-2027: add/between round trip, results are working days, antisymmetry', () => {
    let day = '2025-12-01';
    for (let i = 0; i < 500; i++) {
      for (const n of [0, 1, 3, 10]) {
        const due = cal.addWorkingDays(day, n);
        expect(cal.workingDaysBetween(day, due)).toBe(n);
        if (n > 0) {
          expect(cal.isWorkingDay(due)).toBe(true);
          const back = cal.subtractWorkingDays(day, n);
          expect(cal.isWorkingDay(back)).toBe(true);
          expect(back < day).toBe(true);
        }
      }
      const later = cal.addWorkingDays(day, 7);
      expect(cal.workingDaysBetween(later, day)).toBe(-cal.workingDaysBetween(day, later));
      day = nextDay(day);
    }
  });
});

describe('2027 without dataset data (fallback)', () => {
  it('reports fallback coverage and uses only the weekend rule', () => {
    expect(cal.coverage(2027)).toBe('fallback');
    // Fri 1 Jan 2027 would normally be New Year's Day, but nothing is known
    expect(cal.describe('2027-01-01')).toEqual({ working: true, reason: 'weekday', source: 'fallback' });
    expect(cal.describe('2027-01-02')).toEqual({ working: false, reason: 'weekend', source: 'fallback' });
    expect(cal.isWorkingDay('2027-10-01')).toBe(true); // a Friday
    expect(cal.addWorkingDays('2027-01-01', 1)).toBe('2027-01-04');
    expect(cal.addWorkingDays('2027-09-30', 5)).toBe('2027-10-07');
    expect(cal.workingDaysBetween('2027-02-28', '2027-03-31')).toBe(23);
  });

  it('crosses from official 2026 data into fallback 2027', () => {
    // Thu 31 Dec 2026 -> Fri 1 Jan 2027 (no holiday data) -> Mon 4 Jan
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(cal.addWorkingDays('2026-12-31', 2)).toBe('2027-01-04');
  });
});

describe('admin overrides', () => {
  it('an override turns an ordinary weekday into a holiday', () => {
    const c = new WorkingDayCalendar({ overrides: [{ date: '2026-03-05', kind: 'holiday', name: '本地停工日' }] });
    expect(c.describe('2026-03-05')).toEqual({ working: false, reason: 'holiday', name: '本地停工日', source: 'admin' });
    expect(c.isWorkingDay('2026-03-05')).toBe(false);
    // Wed 4 Mar -> (Thu 5 off) -> Fri 6 -> Mon 9
    expect(c.addWorkingDays('2026-03-04', 1)).toBe('2026-03-06');
    expect(c.addWorkingDays('2026-03-04', 2)).toBe('2026-03-09');
    expect(c.workingDaysBetween('2026-03-01', '2026-03-08')).toBe(4);
    // The default calendar is unaffected
    expect(cal.isWorkingDay('2026-03-05')).toBe(true);
    // The year stays "official": only that date is patched
    expect(c.coverage(2026)).toBe('official');
  });

  it('an override wins over the dataset in both directions', () => {
    const c = new WorkingDayCalendar({
      overrides: [
        { date: '2026-10-07', kind: 'workday' }, // dataset: holiday (a Wednesday)
        { date: '2026-10-10', kind: 'holiday', name: '取消补班' }, // dataset: make-up Saturday
        { date: '2026-10-11', kind: 'workday' }, // plain Sunday
      ],
    });
    expect(c.describe('2026-10-07')).toEqual({ working: true, reason: 'weekday', source: 'admin' });
    expect(c.describe('2026-10-10')).toEqual({ working: false, reason: 'holiday', name: '取消补班', source: 'admin' });
    expect(c.describe('2026-10-11')).toEqual({ working: true, reason: 'makeup-workday', source: 'admin' });
    expect(c.addWorkingDays('2026-09-30', 1)).toBe('2026-10-07');
  });

  it('overrideYears makes the admin table authoritative for 2027', () => {
    const c = new WorkingDayCalendar({
      overrideYears: [2027],
      overrides: [
        { date: '2027-01-01', kind: 'holiday', name: '元旦' },
        { date: '2027-01-02', kind: 'holiday', name: '元旦' }, // a Saturday anyway
        { date: '2027-01-03', kind: 'holiday', name: '元旦' },
      ],
    });
    expect(c.coverage(2027)).toBe('admin');
    expect(c.coverage(2026)).toBe('official');
    expect(c.coverage(2028)).toBe('fallback');
    expect(c.describe('2027-01-01')).toEqual({ working: false, reason: 'holiday', name: '元旦', source: 'admin' });
    expect(c.describe('2027-01-04')).toEqual({ working: true, reason: 'weekday', source: 'admin' });
    expect(c.describe('2027-01-09')).toEqual({ working: false, reason: 'weekend', source: 'admin' });
    expect(c.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
  });

  it('overrideYears for a dataset year ignores the dataset for that year', () => {
    const c = new WorkingDayCalendar({ overrideYears: [2026], overrides: [{ date: '2026-10-01', kind: 'holiday', name: '国庆节' }] });
    expect(c.coverage(2026)).toBe('admin');
    expect(c.isWorkingDay('2026-10-01')).toBe(false);
    expect(c.describe('2026-10-02')).toEqual({ working: true, reason: 'weekday', source: 'admin' }); // dataset holiday ignored
    expect(c.isWorkingDay('2026-10-10')).toBe(false); // dataset make-up Saturday ignored
  });

  it('rejects bad overrides', () => {
    expect(() => new WorkingDayCalendar({ overrides: [{ date: '2026-02-30', kind: 'holiday' }] })).toThrow(RangeError);
    expect(() => new WorkingDayCalendar({ overrides: [{ date: '2026/03/05', kind: 'holiday' }] })).toThrow(RangeError);
    expect(
      () => new WorkingDayCalendar({ overrides: [{ date: '2026-03-05', kind: 'off' as unknown as 'holiday' }] }),
    ).toThrow(RangeError);
    expect(
      () =>
        new WorkingDayCalendar({
          overrides: [
            { date: '2026-03-05', kind: 'holiday' },
            { date: '2026-03-05', kind: 'workday' },
          ],
        }),
    ).toThrow(/duplicate/);
    expect(() => new WorkingDayCalendar({ overrideYears: [27] })).toThrow(RangeError);
    expect(() => new WorkingDayCalendar({ overrideYears: [2027.5] })).toThrow(RangeError);
  });

  it('does not keep a reference to the caller’s override objects', () => {
    const o = { date: '2026-03-05', kind: 'holiday' as 'holiday' | 'workday' };
    const c = new WorkingDayCalendar({ overrides: [o] });
    o.kind = 'workday';
    expect(c.isWorkingDay('2026-03-05')).toBe(false);
  });
});

describe('argument validation', () => {
  it.each(['2026-02-29', '2026-13-01', '2026-1-5', '20261005', '', 'tomorrow'])('rejects date %j', (d) => {
    expect(() => cal.isWorkingDay(d)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(d, 1)).toThrow(RangeError);
    expect(() => cal.workingDaysBetween(d, '2026-01-01')).toThrow(RangeError);
  });

  it('accepts 29 Feb in leap years', () => {
    expect(cal.isWorkingDay('2024-02-29')).toBe(true); // Thursday
  });

  it.each([-1, 1.5, Number.NaN, 1e9])('rejects n = %p', (n) => {
    expect(() => cal.addWorkingDays('2026-03-05', n)).toThrow(RangeError);
    expect(() => cal.subtractWorkingDays('2026-03-05', n)).toThrow(RangeError);
  });

  it('isIsoDate', () => {
    expect(isIsoDate('2026-10-01')).toBe(true);
    expect(isIsoDate('2026-10-32')).toBe(false);
    expect(isIsoDate(20261001)).toBe(false);
  });
});

describe('Asia/Shanghai helpers', () => {
  it('shanghaiDate switches date at 16:00 UTC', () => {
    expect(shanghaiDate(new Date('2026-09-30T15:59:59.999Z'))).toBe('2026-09-30');
    expect(shanghaiDate(new Date('2026-09-30T16:00:00.000Z'))).toBe('2026-10-01');
    expect(shanghaiDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(shanghaiDate(new Date('2026-10-01T00:00:00+08:00'))).toBe('2026-10-01');
  });

  it('shanghaiDate rejects an invalid Date', () => {
    expect(() => shanghaiDate(new Date('x'))).toThrow(RangeError);
  });

  it('endOfShanghaiDay is 23:59:59.999 +08:00', () => {
    expect(endOfShanghaiDay('2026-10-10').toISOString()).toBe('2026-10-10T15:59:59.999Z');
    expect(endOfShanghaiDay('2026-12-31').getTime()).toBe(new Date('2026-12-31T23:59:59.999+08:00').getTime());
    expect(shanghaiDate(endOfShanghaiDay('2026-10-10'))).toBe('2026-10-10');
    expect(shanghaiDate(new Date(endOfShanghaiDay('2026-10-10').getTime() + 1))).toBe('2026-10-11');
  });

  it('shanghaiDateTime builds a local wall-clock instant', () => {
    expect(shanghaiDateTime('2026-10-08', 9, 30).toISOString()).toBe('2026-10-08T01:30:00.000Z');
    expect(shanghaiDateTime('2026-10-08', 0, 0).toISOString()).toBe('2026-10-07T16:00:00.000Z');
    expect(shanghaiDateTime('2026-10-08', 23, 59).toISOString()).toBe('2026-10-08T15:59:00.000Z');
  });

  it('shanghaiDateTime validates its arguments', () => {
    expect(() => shanghaiDateTime('2026-10-08', 24, 0)).toThrow(RangeError);
    expect(() => shanghaiDateTime('2026-10-08', 9, 60)).toThrow(RangeError);
    expect(() => shanghaiDateTime('2026-10-08', 9.5, 0)).toThrow(RangeError);
    expect(() => shanghaiDateTime('2026-10-32', 9, 0)).toThrow(RangeError);
  });

  it('a working-day due date can be turned into an end-of-day deadline', () => {
    const received = new Date('2026-09-28T10:00:00+08:00');
    const due = cal.addWorkingDays(shanghaiDate(received), 5);
    expect(endOfShanghaiDay(due).toISOString()).toBe('2026-10-10T15:59:59.999Z');
  });
});

function nextDay(d: string): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}
