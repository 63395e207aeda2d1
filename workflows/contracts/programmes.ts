/**
 * Every programme the platform runs, with its workflow type and built-in default settings (its
 * step table). Adding a programme: a folder under workflows/programs/<name>/, its export in
 * workflows/index.ts, an entry here, and an adapter under src/cases/programmes/.
 */
import type { ProgrammeSettings } from '../lib/settings';
import { CATARACT_DEFAULTS } from '../programs/cataract/steps';
import { CHILD_REHAB_DEFAULTS } from '../programs/child-rehab/steps';
import { TRAINING_DEFAULTS } from '../programs/training/steps';

export interface ProgrammeInfo {
  programme: string;
  workflowType: string;
  defaults: ProgrammeSettings;
}

export const PROGRAMMES: Record<string, ProgrammeInfo> = {
  cataract: { programme: 'cataract', workflowType: 'cataractCaseWorkflow', defaults: CATARACT_DEFAULTS },
  child_rehab: { programme: 'child_rehab', workflowType: 'childRehabCaseWorkflow', defaults: CHILD_REHAB_DEFAULTS },
  training: { programme: 'training', workflowType: 'trainingCaseWorkflow', defaults: TRAINING_DEFAULTS },
};

export const PROGRAMME_DEFAULTS: Readonly<Record<string, ProgrammeSettings>> = Object.fromEntries(
  Object.values(PROGRAMMES).map((p) => [p.programme, p.defaults]),
);
