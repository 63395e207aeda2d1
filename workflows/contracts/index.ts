export * from './case';
export * from './cataract';
export * from './ops';
export * from './programmes';
export * from './training';
export type { ProgrammeSettings, StepSetting, FollowUpSetting } from '../lib/settings';
export * from './child-rehab';
export * from './step-labels';
export * from './search-attributes';
