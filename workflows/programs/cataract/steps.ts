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
import type { ProgrammeSettings } from '../../lib/settings';

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
