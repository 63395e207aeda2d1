/**
 * Baselines for `npm run bench`: the least a Temporal workflow can do, run by a second Worker
 * inside the bench process on its own task queue. Bundled with scripts/lib/workflow-bundle.cjs.
 *  - emptyWorkflow: returns at once (baseline for starting a case);
 *  - minimalCaseWorkflow: one validated Update that changes state and returns it (baseline for
 *    a decision), until an Update with action 'close'.
 */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export interface MinimalDecision {
  taskId: string;
  action: string;
  actorId: string;
}
export const decideUpdate = defineUpdate<{ decisions: number; last: string }, [MinimalDecision]>('decide');

export async function emptyWorkflow(): Promise<void> {
  return;
}

export async function minimalCaseWorkflow(): Promise<number> {
  let decisions = 0;
  let last = '';
  let closed = false;
  setHandler(
    decideUpdate,
    (d) => {
      decisions++;
      last = `${d.taskId}:${d.action}`;
      if (d.action === 'close') closed = true;
      return { decisions, last };
    },
    {
      validator: (d) => {
        if (!d || typeof d.taskId !== 'string' || !d.actorId) throw new Error('malformed decision');
        if (closed) throw new Error('closed');
      },
    },
  );
  await condition(() => closed);
  return decisions;
}
