/**
 * Programme settings: step time limits (working days), reminder offsets, follow-up offsets
 * and amounts. Defaults live with each programme's step table; a jurisdiction overrides them
 * in the `programme_config` table, versioned by effective date. The resolved object travels in
 * the workflow input, so a case keeps the version it started with.
 */
export interface StepSetting {
  /** Time limit in working days (Chinese calendar with make-up workdays). */
  workingDays: number;
  /** Reminders, in working days before the due date (default [1]). */
  remindBefore?: number[];
}

export interface FollowUpSetting {
  step: string;
  /** Calendar days after the triggering event when the visit is due. */
  dueAfterDays: number;
  /** Earliest day (after the event) the visit counts, for windows such as "phone day 3–5". */
  windowFromDays?: number;
  mode: 'visit' | 'phone';
}

export interface ProgrammeSettings {
  programme: string;
  version: string;
  steps: Record<string, StepSetting>;
  followUps: FollowUpSetting[];
  amounts: Record<string, number>;
  rules: Record<string, unknown>;
}
