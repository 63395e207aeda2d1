/**
 * PRC resident identity number (公民身份号码) validation, GB 11643-1999.
 *
 * Why no library: the npm registry's candidate, `idcard` (4.2.0, ISC), was
 * evaluated and rejected. It is ~850 KB (a 270 KB county table that goes stale
 * as counties are merged or renamed, which would reject genuine IDs issued
 * under old county codes), only returns `false` without saying *why* a number
 * is invalid (we need distinct error codes for the UI), rejects a lowercase
 * `x`, and checks "future" birth dates against the current calendar year of the
 * machine clock (so tomorrow's date passes, and tests cannot pin "today").
 * The algorithm itself is ~40 lines, so it is implemented here.
 *
 * Layout of the 18 characters:
 *   1-6   address code (GB/T 2260; first two digits = province)
 *   7-14  birth date YYYYMMDD
 *   15-17 sequence code; the 17th digit is odd for males, even for females
 *   18    check character, ISO 7064 MOD 11-2 ("X" stands for 10)
 *
 * Pure module: no I/O, no framework imports.
 */

export type ResidentIdErrorCode = 'ID_FORMAT' | 'ID_CHECKSUM' | 'ID_BIRTHDATE' | 'ID_REGION';

/**
 * What kind of document the number belongs to, derived from the leading digits.
 * - `resident`: 居民身份证 (mainland province codes 11-65; 71 Taiwan is kept
 *   because it is a valid GB/T 2260 province code).
 * - `residence-permit`: 港澳台居民居住证 (81 Hong Kong, 82 Macau, 83 Taiwan),
 *   which use the same 18-character scheme.
 * - `foreign-permanent-resident`: 2023-edition 外国人永久居留身份证 — leading
 *   "9", then the 2-digit province code of the issuing office, then a 3-digit
 *   nationality code; same birth-date position and check character. Only
 *   accepted with `allowForeignPermanentResident: true` because such holders
 *   are not normally in scope for DPF services.
 */
export type ResidentIdKind = 'resident' | 'residence-permit' | 'foreign-permanent-resident';

export interface ResidentIdInfo {
  /** Normalised number: trimmed, check character upper-cased. */
  id: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'M' | 'F';
  /** The first six digits (address code; for foreign permanent residents: 9 + province + nationality). */
  regionCode: string;
  kind: ResidentIdKind;
}

export type ResidentIdResult =
  | { ok: true; value: ResidentIdInfo }
  | { ok: false; code: ResidentIdErrorCode; message: string; messageEn: string };

export interface ResidentIdOptions {
  /**
   * The reference date for the "birth date not in the future" rule. A string
   * must be YYYY-MM-DD; a Date is converted to its calendar date in
   * Asia/Shanghai. Defaults to the current date in Asia/Shanghai.
   */
  today?: string | Date;
  /** Accept 2023-edition foreign permanent residence ID numbers (leading 9). Default false. */
  allowForeignPermanentResident?: boolean;
}

/** Province-level codes (first two digits) accepted for resident IDs. */
const MAINLAND_PROVINCES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', // 北京 天津 河北 山西 内蒙古
  '21', '22', '23', // 辽宁 吉林 黑龙江
  '31', '32', '33', '34', '35', '36', '37', // 上海 江苏 浙江 安徽 福建 江西 山东
  '41', '42', '43', '44', '45', '46', // 河南 湖北 湖南 广东 广西 海南
  '50', '51', '52', '53', '54', // 重庆 四川 贵州 云南 西藏
  '61', '62', '63', '64', '65', // 陕西 甘肃 青海 宁夏 新疆
  '71', // 台湾 (GB/T 2260)
]);
/** 港澳台居民居住证: 81 香港, 82 澳门, 83 台湾. */
const RESIDENCE_PERMIT_CODES: ReadonlySet<string> = new Set(['81', '82', '83']);

/** ISO 7064 MOD 11-2 weights for positions 1..17: 2^(18-pos) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character indexed by (weighted sum mod 11). */
const CHECK_CHARS = '10X98765432';

/**
 * Earliest accepted birth year. GB 11643-1999's own worked example
 * (440524188001010014) is born in 1880, so the floor is 1800; it only exists
 * to catch typos such as year "0990".
 */
const MIN_BIRTH_YEAR = 1800;

/** Compute the check character for the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('residentIdCheckChar expects exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function fail(code: ResidentIdErrorCode, message: string, messageEn: string): ResidentIdResult {
  return { ok: false, code, message, messageEn };
}

/** Days in month for the proleptic Gregorian calendar (month 1-12). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Calendar date in Asia/Shanghai (fixed UTC+8, no DST since 1991). */
function shanghaiToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function resolveToday(today: string | Date | undefined): string {
  if (today === undefined) return shanghaiToday(new Date());
  if (today instanceof Date) {
    if (Number.isNaN(today.getTime())) throw new RangeError('options.today is an invalid Date');
    return shanghaiToday(today);
  }
  if (!isRealIsoDate(today)) throw new RangeError(`options.today must be YYYY-MM-DD, got "${today}"`);
  return today;
}

/** True if `s` is YYYY-MM-DD and names a real Gregorian date. */
function isRealIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(m[1]), month);
}

/**
 * Validate a resident identity number. Leading/trailing whitespace is ignored
 * and a lowercase check character `x` is normalised to `X`.
 *
 * Checks run in this order, and the first failure is reported:
 * format → checksum → region → birth date. The checksum goes before the
 * semantic checks because a typo in any digit is the most likely cause of a
 * bad number, and "please re-check the number" is then the right message.
 */
export function validateResidentId(input: unknown, options: ResidentIdOptions = {}): ResidentIdResult {
  if (typeof input !== 'string') {
    return fail('ID_FORMAT', '身份证号码必须为字符串', 'Resident ID number must be a string');
  }
  const id = input.trim().toUpperCase();
  if (/^\d{15}$/.test(id)) {
    return fail(
      'ID_FORMAT',
      '不支持15位旧身份证号码，请使用18位身份证号码',
      'Legacy 15-digit ID numbers are not accepted; use the 18-character number',
    );
  }
  if (!/^\d{17}[\dX]$/.test(id)) {
    return fail(
      'ID_FORMAT',
      '身份证号码应为18位：前17位为数字，最后一位为数字或X',
      'Resident ID number must be 18 characters: 17 digits followed by a digit or X',
    );
  }

  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) {
    return fail('ID_CHECKSUM', '身份证号码校验位不正确，请核对号码', 'Resident ID check character is wrong; please re-check the number');
  }

  let kind: ResidentIdKind;
  const prefix = id.slice(0, 2);
  if (MAINLAND_PROVINCES.has(prefix)) kind = 'resident';
  else if (RESIDENCE_PERMIT_CODES.has(prefix)) kind = 'residence-permit';
  else if (id[0] === '9' && MAINLAND_PROVINCES.has(id.slice(1, 3))) {
    if (!options.allowForeignPermanentResident) {
      return fail(
        'ID_REGION',
        '该号码为外国人永久居留身份证号码，不是居民身份证号码',
        'This is a foreign permanent residence ID number, not a resident ID number',
      );
    }
    kind = 'foreign-permanent-resident';
  } else {
    return fail('ID_REGION', `身份证号码的地区代码无效（${prefix}）`, `Resident ID has an invalid region code (${prefix})`);
  }

  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (year < MIN_BIRTH_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail('ID_BIRTHDATE', `身份证号码中的出生日期无效（${birthDate}）`, `Resident ID contains an invalid birth date (${birthDate})`);
  }
  // ISO dates compare correctly as strings.
  if (birthDate > resolveToday(options.today)) {
    return fail('ID_BIRTHDATE', `身份证号码中的出生日期晚于今天（${birthDate}）`, `Resident ID birth date is in the future (${birthDate})`);
  }

  return {
    ok: true,
    value: {
      id,
      birthDate,
      sex: Number(id[16]) % 2 === 1 ? 'M' : 'F',
      regionCode: id.slice(0, 6),
      kind,
    },
  };
}

/** Convenience boolean form of {@link validateResidentId}. */
export function isValidResidentId(input: unknown, options?: ResidentIdOptions): boolean {
  return validateResidentId(input, options).ok;
}

/**
 * Age in whole years (周岁) on `onDate`; both dates YYYY-MM-DD.
 *
 * The age goes up on the birthday itself (the usual civil/administrative
 * reading). Someone born on 29 February turns a year older on 1 March in
 * common years. Note: criminal-law age (刑法 "周岁") counts from the day
 * *after* the birthday; that rule is not applied here.
 *
 * @throws RangeError for malformed dates or if `onDate` is before `birthDate`.
 */
export function ageOn(birthDate: string, onDate: string): number {
  if (!isRealIsoDate(birthDate)) throw new RangeError(`birthDate must be a real YYYY-MM-DD date, got "${birthDate}"`);
  if (!isRealIsoDate(onDate)) throw new RangeError(`onDate must be a real YYYY-MM-DD date, got "${onDate}"`);
  if (onDate < birthDate) throw new RangeError(`onDate ${onDate} is before birthDate ${birthDate}`);
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  // "MM-DD" strings compare correctly; 02-29 > 02-28 gives the 1 March rule.
  return onDate.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/**
 * Mask an ID for display and logs: first 6 + "********" + last 4, e.g.
 * 110101********123X. Input is trimmed and upper-cased. Anything that is not
 * 18 characters long is masked completely (same length), so a malformed value
 * never leaks digits.
 */
export function maskResidentId(id: string): string {
  const s = id.trim().toUpperCase();
  if (s.length !== 18) return '*'.repeat(s.length);
  return `${s.slice(0, 6)}********${s.slice(14)}`;
}
