/**
 * Cataract programme (白内障复明 / 光明行): the step table and its default settings.
 * Time limits marked (assumed) had no published source (see shared/domain/PROGRAMMES.md §2);
 * a jurisdiction overrides any of them in programme_config, versioned by effective date.
 *
 * | step             | who                         | kind      | default limit       |
 * |------------------|-----------------------------|-----------|---------------------|
 * | awaiting_campaign| (timer until screening day) | —         | campaign dates      |
 * | screening        | township officer + hospital | record    | 10 working days (assumed) |
 * | hospital_choice  | village caseworker          | record    | 5 working days (assumed)  |
 * | pre_op_check     | chosen hospital             | record    | 10 working days (assumed) |
 * | township_verify  | township officer            | approval  | 5 working days (assumed)  |
 * | county_approval  | county officer              | approval  | 10 working days (assumed) |
 * | surgery          | chosen hospital             | record    | 20 working days (assumed) |
 * | post_op: settlement | county officer           | record    | 10 working days (assumed) |
 * | post_op: followup_* | chosen hospital          | followup  | day 1, phone day 3–5, ≤ 2 weeks, 3 months |
 * | confirmation     | township officer            | record    | 10 working days (assumed) |
 */
import type { FollowUpSetting, ProgrammeSettings } from '../../lib/settings';

export const CATARACT_DEFAULTS: ProgrammeSettings = {
  programme: 'cataract',
  version: 'cataract@default@2026-01-01',
  steps: {
    screening: { workingDays: 10, remindBefore: [1] },
    hospital_choice: { workingDays: 5, remindBefore: [1] },
    pre_op_check: { workingDays: 10, remindBefore: [1] },
    township_verify: { workingDays: 5, remindBefore: [1] },
    county_approval: { workingDays: 10, remindBefore: [1] },
    surgery: { workingDays: 20, remindBefore: [2] },
    settlement: { workingDays: 10, remindBefore: [1] },
    confirmation: { workingDays: 10, remindBefore: [1] },
  },
  followUps: [
    { step: 'followup_day1', dueAfterDays: 1, mode: 'visit' },
    { step: 'followup_phone', dueAfterDays: 5, windowFromDays: 3, mode: 'phone' },
    { step: 'followup_2w', dueAfterDays: 14, mode: 'visit' },
    { step: 'followup_3m', dueAfterDays: 90, mode: 'visit' },
  ],
  amounts: { settlementMin: 1400, settlementMax: 2050 },
  rules: { oneEyePerYear: true, priorityAges: [60, 75] },
};

/** Visual acuity on the decimal scale used in China (0.01 … 2.0). */
export function isAcuity(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 2;
}

/** Outcome indicators from the 2-week and 3-month follow-ups (PROGRAMMES.md §2). */
export function cataractIndicators(d: {
  lensImplanted?: boolean;
  twoWeeks?: { uncorrectedAcuity?: number; correctedAcuity?: number };
  final?: { correctedAcuity?: number };
}) {
  const u = d.twoWeeks?.uncorrectedAcuity;
  const c = d.twoWeeks?.correctedAcuity;
  const fin = d.final?.correctedAcuity ?? c;
  return {
    uncorrected03At2w: u === undefined ? null : u >= 0.3,
    corrected03At2w: c === undefined ? null : c >= 0.3,
    lensImplanted: d.lensImplanted ?? null,
    outOfBlindness: fin === undefined ? null : fin >= 0.05, // 脱盲
    outOfDisability: fin === undefined ? null : fin >= 0.3, // 脱残
  };
}

const DAY_MS = 86_400_000;
/** 'YYYY-MM-DD' plus n calendar days (pure date arithmetic, no time zone involved). */
function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}
const isIsoDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && addDays(v, 0) === v;

/**
 * A follow-up with a window (phone follow-up "day 3–5", PROGRAMMES.md §2) counts only from the
 * window's first day: earlier the patient cannot yet tell how the eye heals, so the call must be
 * made again. The outcome may give the day of the contact (`contactedOn`, YYYY-MM-DD, not in
 * the future); without it the contact is taken as made on the day it is recorded. A contact after
 * the due day is accepted (late, the task is already overdue). Returns the refusal or null.
 */
export function followUpWindowProblem(f: FollowUpSetting, surgeryDate: string, d: Record<string, unknown>, today: string): string | null {
  if (f.windowFromDays === undefined) return null;
  if (d.contactedOn !== undefined && !isIsoDay(d.contactedOn)) return '联系日期格式须为 YYYY-MM-DD / contactedOn must be a date (YYYY-MM-DD)';
  const on = (d.contactedOn as string | undefined) ?? today;
  if (on > today) return `联系日期 ${on} 不能晚于今天 ${today} / contactedOn ${on} cannot be after today (${today})`;
  const from = addDays(surgeryDate, f.windowFromDays);
  if (on < from) {
    const until = addDays(surgeryDate, f.dueAfterDays);
    const what = f.mode === 'phone' ? '电话随访' : '随访';
    return (
      `${what}须在术后第 ${f.windowFromDays}–${f.dueAfterDays} 天（${from} 至 ${until}）进行，${on} 联系过早，请在 ${from} 起再联系 / ` +
      `the ${f.mode === 'phone' ? 'phone ' : ''}follow-up counts from day ${f.windowFromDays} to day ${f.dueAfterDays} after surgery (${from} to ${until}); a contact on ${on} is too early, contact again from ${from}`
    );
  }
  return null;
}
