/** Every workflow the worker runs. One programme = one folder under programs/. */
export { cataractCaseWorkflow } from './programs/cataract/workflow';
export { trainingCaseWorkflow } from './programs/training/workflow';
export { childRehabCaseWorkflow } from './programs/child-rehab/workflow';
export { bulkReassignWorkflow } from './ops/bulk-reassign';
