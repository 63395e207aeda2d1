import { DomainError } from '../../common/domain-error';
import { cataractAdapter } from './cataract.adapter';
import { childRehabAdapter } from './child-rehab.adapter';
import { trainingAdapter } from './training.adapter';
import type { ProgrammeAdapter } from './programme-adapter';

/** The programmes the api can open cases for. Add an adapter here when a programme lands. */
export const ADAPTERS: Record<string, ProgrammeAdapter> = {
  [cataractAdapter.programme]: cataractAdapter,
  [childRehabAdapter.programme]: childRehabAdapter,
  [trainingAdapter.programme]: trainingAdapter,
};

export function adapterFor(programme: string): ProgrammeAdapter {
  const a = ADAPTERS[programme];
  if (!a) throw new DomainError(422, 'UNKNOWN_PROGRAMME', `未知的业务项目 ${programme} / unknown programme ${programme}`);
  return a;
}
