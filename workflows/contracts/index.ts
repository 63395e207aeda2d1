export * from './case';
export * from './cataract';
export type { ProgrammeSettings, StepSetting, FollowUpSetting } from '../lib/settings';
