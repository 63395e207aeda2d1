import { ApplicationFailure } from '@temporalio/workflow';
import type { CaseErrorType } from '../contracts/case';

/** A refusal from an Update validator; `type` is mapped to an HTTP status by the api. */
export function refuse(type: CaseErrorType, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}
