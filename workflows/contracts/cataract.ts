/** Input and result types of the cataract programme workflow (白内障复明). */
import type { ProgrammeSettings } from '../lib/settings';
import type { CaseReceipt } from './case';

export const CATARACT = 'cataract';

export interface CataractCaseInput extends CaseReceipt {
  caseId: string;
  caseNo: string;
  personId: string;
  /** The person's hukou village; routing resolves township/county from its path. */
  orgUnitCode: string;
  orgPath: string;
  campaign: { id: string; name: string; registrationEnd: string; screeningStart: string };
  /** Settings version the case started with; it keeps it to the end. */
  settings: ProgrammeSettings;
  openedBy: { id: string; name: string; role: string };
  priority: number;
}

export type Eye = 'left' | 'right';

export interface ScreeningResult {
  suitable: boolean;
  eye?: Eye;
  uncorrectedAcuity?: number;
  reason?: string;
}
export interface PreOpResult {
  fit: boolean;
  eye?: Eye;
  reason?: string;
}
export interface SurgeryRecord {
  surgeryDate: string;
  eye: Eye;
  lensImplanted: boolean;
  lensType?: string;
}
export interface FollowUpOutcome {
  reached: boolean;
  uncorrectedAcuity?: number;
  correctedAcuity?: number;
  complication?: string;
  note?: string;
  /** Day of the contact (YYYY-MM-DD); a windowed follow-up (phone, day 3–5) refuses a day before its window. */
  contactedOn?: string;
}

export type CataractOutcome =
  | 'completed'
  | 'not_suitable'
  | 'contraindicated'
  | 'rejected'
  | 'withdrawn';

// The step table defaults and the eligibility rules are pure and shared with the api.
export { CATARACT_DEFAULTS } from '../programs/cataract/steps';
export { CATARACT_RULES_VERSION, checkCataractEligibility, cataractPriority } from '../programs/cataract/eligibility';
export type { CataractFacts, RuleResult } from '../programs/cataract/eligibility';
