/**
 * Input, state and result types of the child rescue rehabilitation programme (残疾儿童康复救助,
 * children 0–6 by default), its Update (switch institution) and Signal (a place freed), shared by
 * the api and the workflow. The api imports only this folder from workflows/.
 */
import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseResume } from '../lib/case-runtime';
import type { ProgrammeSettings } from '../lib/settings';
import type { Actor, CaseReceipt, CaseView } from './case';

export const CHILD_REHAB = 'child_rehab';

export type RehabCategory = 'vision' | 'hearing' | 'speech' | 'limb' | 'intellectual' | 'autism';
export { ITEMS_BY_CATEGORY, REHAB_CATEGORIES, REHAB_SERVICE } from '../programs/child-rehab/eligibility';

/** What is funded: training for every category, plus devices / surgery where the category allows. */
export type RehabItem = 'training' | 'hearing_aid' | 'cochlear_implant' | 'cochlear_surgery' | 'limb_surgery' | 'low_vision_aid';

/** Priority groups (PROGRAMMES.md §1): 低保, 建档立卡, welfare-institution children, orphans, other hardship. */
export type PriorityGroup = 'dibao' | 'jiandang' | 'welfare_institution' | 'orphan' | 'other_hardship';

export interface Diagnosis {
  hospital: string;
  /** YYYY-MM-DD */
  date: string;
  category: RehabCategory;
}

/** A designated institution as the case knows it. */
export interface RehabInstitution {
  id: string;
  name: string;
  /** Org path of the federation that holds its agreement: outside the child's county = out of area. */
  orgPath: string;
}

export interface ChildRehabApplication {
  category: RehabCategory;
  /** Items applied for besides training (e.g. cochlear_implant for hearing). */
  needs: RehabItem[];
  certificateNo: string | null;
  diagnosis: Diagnosis | null;
  institution: RehabInstitution;
  priorityGroups: PriorityGroup[];
  guardian: { name: string; relation: string | null; phone: string | null };
  /** Applied by an agent on the guardian's behalf (name, relation), if so. */
  agent: { name: string; relation: string | null } | null;
  residence: 'hukou' | 'residence_permit';
}

/** Programme state a case carries from one service year into the next (continue-as-new). */
export interface ChildRehabCarry {
  runtime: CaseResume;
  openedAt: string;
  /** The institution the child is placed at (holding a place), if any. */
  placedAt: RehabInstitution | null;
  /** Agreement key of the current placement (rehab_agreement.agreement_key). */
  agreementKey: string | null;
  /** Still on this institution's waitlist at the year's end. */
  waitlistedAt: RehabInstitution | null;
  diagnosis: Diagnosis | null;
  yearsServed: YearSummary[];
}

export interface ChildRehabCaseInput extends CaseReceipt {
  caseId: string;
  caseNo: string;
  personId: string;
  /** The child's hukou (or residence) village; routing resolves township/county from its path. */
  orgUnitCode: string;
  orgPath: string;
  birthDate: string;
  /** Service year (calendar year) of this run. */
  year: number;
  application: ChildRehabApplication;
  priority: number;
  /** Settings version the case started with; it keeps it to the end (also across years). */
  settings: ProgrammeSettings;
  /** The registrar (a return for missing documents goes back to them). */
  openedBy: Actor;
  /** Present when the case continues into a new service year. */
  resume?: ChildRehabCarry;
}

export interface YearSummary {
  year: number;
  /** Institutions in the order the child attended them this year. */
  institutions: string[];
  months: number;
  /** End-of-period assessment; null if no period ended this year (e.g. waitlisted all year). */
  effective: boolean | null;
  paid: number;
}

export type ChildRehabOutcome = 'aged_out' | 'rejected' | 'not_renewed' | 'withdrawn';

export interface SwitchInstitutionInput {
  actor: Actor;
  institution: RehabInstitution;
  reason: string;
}

/** Switch the child to another designated institution: ends the current agreement, needs re-approval. */
export const switchInstitutionUpdate = defineUpdate<CaseView, [SwitchInstitutionInput]>('switchInstitution');
/** Sent to a waitlisted case when another child's agreement at the institution ends. */
export const placeFreedSignal = defineSignal<[{ partnerId: string }]>('placeFreed');


// The step table defaults and the eligibility rules are pure and shared with the api.
export { CHILD_REHAB_DEFAULTS, approvedBudget, rehabAmountKey } from '../programs/child-rehab/steps';
export {
  CHILD_REHAB_RULES_VERSION,
  CHILD_REHAB_AGE_LIMITS_VERSION,
  ageLimitsProblems,
  effectiveMaxAge,
  checkChildRehabEligibility,
  childRehabPriority,
  diagnosisExpiry,
  agesOutIn,
} from '../programs/child-rehab/eligibility';
export type { AgeLimit, ChildRehabFacts } from '../programs/child-rehab/eligibility';
