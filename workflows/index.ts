/** Every workflow the worker runs. One programme = one folder under programs/. */
export { cataractCaseWorkflow } from './programs/cataract/workflow';
