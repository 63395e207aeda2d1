/** Input, records, outcomes and the signal of the training → placement programme (培训就业). */
import { defineSignal } from '@temporalio/workflow';
import type { ProgrammeSettings } from '../lib/settings';
import type { CaseReceipt } from './case';

export const TRAINING = 'training';

export interface TrainingCourseRef {
  id: string;
  name: string;
  type: string;
  institutionId: string;
  institutionName: string;
  startDate: string;
  endDate: string;
  hours: number;
  year: number;
  countyCode: string;
}

export interface TrainingCaseInput extends CaseReceipt {
  caseId: string;
  caseNo: string;
  personId: string;
  /** The trainee's hukou village; routing resolves township/county from its path. */
  orgUnitCode: string;
  orgPath: string;
  /** The course as it was at enrolment (its dates and hours govern the case). */
  course: TrainingCourseRef;
  /** For the quota rule (grade 1–2 counts double); no other disability data travels in the workflow. */
  disabilityGrade: number | null;
  applicant: { education: string; selfCare: boolean };
  /** Settings version the case started with; it keeps it to the end. */
  settings: ProgrammeSettings;
  /** The recruiter: a "return for information" at county approval goes back to them. */
  openedBy: { id: string; name: string; role: string; orgPath: string };
}

export interface AttendanceRecord {
  hours: number;
  dropOut?: boolean;
  reason?: string;
  note?: string;
}
export interface AssessmentRecord {
  passed: boolean;
  score?: number;
  certificate?: { number: string; level: string };
  note?: string;
}
export interface JobMatchRecord {
  channel: 'quota_employer' | 'public_welfare' | 'self_employment' | 'none';
  employerId?: string;
  positionId?: string;
  postName?: string;
  monthlyPay?: number;
  startDate?: string;
  businessName?: string;
  businessLicence?: string;
  supportAmount?: number;
  reason?: string;
}
export interface OfferResponseRecord {
  accepted: boolean;
  reason?: string;
}
export interface ContractRecord {
  signed: boolean;
  startDate?: string;
  contractMonths?: number;
  monthlyPay?: number;
  socialInsurance?: boolean;
  reason?: string;
}
export interface RetentionRecord {
  employed: boolean;
  lostOn?: string;
  reason?: string;
  monthlyPay?: number;
  note?: string;
}

export type TrainingOutcome =
  | 'stable_employment'
  | 'employed'
  | 'not_employed'
  | 'rejected'
  | 'dropped_out'
  | 'incomplete'
  | 'waitlist_expired'
  | 'course_unavailable';

/** Sent by an activity when a freed place on a full course moves this waitlisted trainee in. */
export const coursePlaceOfferedSignal = defineSignal<[{ courseId: string }]>('coursePlaceOffered');

// The step table defaults and the rules are pure and shared with the api.
export { TRAINING_DEFAULTS, trainingRules, attendancePeriods, hoursLimits, EDUCATION, COURSE_TYPES, CERTIFICATE_LEVELS, PLACEMENT_CHANNELS } from '../programs/training/steps';
export type { TrainingRules, Education, CourseType, PlacementChannel } from '../programs/training/steps';
export { TRAINING_RULES_VERSION, checkTrainingEligibility } from '../programs/training/eligibility';
export type { TrainingFacts, TrainingCourseFacts } from '../programs/training/eligibility';
export { quotaCounting, quotaSummary, monthsInYear, quotaCredit, institutionPayment } from '../programs/training/placement';
export type { QuotaDecision, QuotaReason, PaymentInput } from '../programs/training/placement';
