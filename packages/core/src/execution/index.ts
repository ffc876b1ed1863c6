export { executePlan, backoff } from './executor.ts';
export type { ExecuteOptions, RunOutcome, StepLog, StepResult, StepRunner, StepStatus } from './executor.ts';
export { planRun, stepId } from './plan.ts';
export type { Plan, PlanOptions, Step } from './plan.ts';
export { materialize } from './materialize.ts';
export type { MaterializeEnv } from './materialize.ts';
export { isUserError, userCode } from './user-code.ts';
