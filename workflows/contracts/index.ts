export * from './case';
export * from './cataract';
export * from './programmes';
export type { ProgrammeSettings, StepSetting, FollowUpSetting } from '../lib/settings';
