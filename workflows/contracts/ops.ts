/**
 * Operations on many cases at once (monitoring, issue 7): each runs as its own workflow, so it
 * survives restarts, reports progress through a Query and never applies twice to one task.
 * The api imports these from workflows/contracts like every other contract.
 */
import { defineQuery } from '@temporalio/workflow';
import type { Actor } from './case';

export const BULK_REASSIGN_WORKFLOW = 'bulkReassignWorkflow';
export const bulkReassignWorkflowId = (operationId: string) => `op-bulk-reassign-${operationId}`;
/** Most tasks one bulk reassignment takes on (the rest: run it again). Keeps the carried state small. */
export const BULK_REASSIGN_MAX_TASKS = 2000;

export interface BulkTaskRef {
  taskId: string;
  caseId: string;
  caseNo: string;
  workflowId: string;
}

export interface BulkReassignInput {
  operationId: string;
  /** The manager who asked (the reassign Update is sent in their name; the case validator checks their scope). */
  actor: Actor;
  fromUserId: string;
  toUser: Actor;
  reason?: string;
  /** Only tasks under this org path (the requester's scope). */
  scopePath: string;
  /** Reassign Updates in flight at once (default 16). */
  concurrency?: number;
  /** Tasks handled per workflow run before it continues as new (default 250). */
  perRun?: number;
  /** Continue-as-new: the state of the previous run. */
  carried?: BulkReassignState;
}

export interface BulkFailure {
  taskId: string;
  caseId: string;
  caseNo: string;
  code: string;
  reason: string;
}

export interface BulkReassignState {
  startedAt: string;
  /** True when the owner held more than BULK_REASSIGN_MAX_TASKS open tasks in scope. */
  truncated: boolean;
  total: number;
  /** Tasks not handled yet. */
  pending: BulkTaskRef[];
  /** Done: reassigned by this operation (including found already assigned to the target after a retry). */
  reassigned: string[];
  skipped: { taskId: string; caseNo: string; reason: string }[];
  failures: BulkFailure[];
  runs: number;
}

export type ReassignOutcome =
  | { status: 'reassigned'; already?: boolean }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; code: string; reason: string };

export interface ReassignOneInput {
  operationId: string;
  task: BulkTaskRef;
  fromUserId: string;
  toUser: Actor;
  actor: Actor;
  reason?: string;
}

export interface BulkProgress {
  operationId: string;
  kind: 'bulk_reassign';
  status: 'running' | 'completed';
  fromUserId: string;
  toUserId: string;
  total: number;
  processed: number;
  reassigned: number;
  skipped: number;
  failed: number;
  truncated: boolean;
  failures: BulkFailure[];
  skippedItems: { taskId: string; caseNo: string; reason: string }[];
  startedAt: string;
  finishedAt: string | null;
  runs: number;
}

export const bulkProgressQuery = defineQuery<BulkProgress>('bulkProgress');
