import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { Actor, CaseView, TaskActionInput, taskActionUpdate } from '../../workflows/contracts';
import { DomainError } from '../common/domain-error';
import { RedisHealthClient } from '../queues/queues.module';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module';

/** The acting user as the workflow sees them (id, name, role, area, partner). */
export const actorOf = (u: { id: string; name: string; role: string; orgPath: string; partnerId: string | null }): Actor => ({
  id: u.id, name: u.name, role: u.role, orgPath: u.orgPath, partnerId: u.partnerId,
});

/** How long one action may take in Temporal before the caller is told to try again (503). */
const UPDATE_DEADLINE_MS = 20_000;
/** The gate outlives the deadline, so it never opens while the action is still in flight. */
const GATE_TTL_MS = UPDATE_DEADLINE_MS + 10_000;
/** Deletes the gate only if it is still ours (it may have expired and been taken by another). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * The one way the api sends a task action (decision, claim, reassign, nudge, escalate, extend) to
 * a case workflow as a Workflow Update.
 *
 * Correctness does not depend on this class: the workflow's Update validator admits exactly one
 * decision per task. What it adds is a per-task gate in Redis, shared by every api replica: while
 * one action on a task is in flight, another on the same task is answered at once with 409
 * TASK_BUSY instead of queueing in Temporal. Without it, 200 people pressing "approve" together
 * queue 200 Updates on one workflow; each refusal costs a workflow task, and the tail waits past
 * the deadline (503) although the answer (409, already decided) was known. If Redis is down the
 * gate fails open and the validator alone decides.
 */
@Injectable()
export class TaskUpdates {
  private readonly log = new Logger('task-updates');
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly redis: RedisHealthClient,
  ) {}

  async send(workflowId: string, input: TaskActionInput): Promise<CaseView> {
    const key = `task-gate:${input.taskId}`;
    const token = randomUUID();
    let held = false;
    try {
      held = (await this.redis.redis.set(key, token, 'PX', GATE_TTL_MS, 'NX')) === 'OK';
    } catch (err) {
      this.log.warn(`task gate unavailable (${err instanceof Error ? err.message : err}); sending without it`);
      held = true; // fail open: nothing to release
    }
    if (!held) {
      throw new DomainError(409, 'TASK_BUSY', '该任务正在由他人处理，请稍后刷新 / another action on this task is being processed; refresh in a moment');
    }
    try {
      return await this.temporal.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
        this.temporal.workflow.getHandle(workflowId).executeUpdate(taskActionUpdate, { args: [input] }),
      );
    } catch (err) {
      if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
        throw new DomainError(503, 'CASE_BUSY', '个案正在处理上一步，请稍后重试 / the case is still processing the previous step; try again in a moment');
      }
      throw err;
    } finally {
      await this.redis.redis.eval(RELEASE, 1, key, token).catch(() => undefined); // expires anyway
    }
  }
}
