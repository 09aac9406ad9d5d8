/** drover as a library: plan, apply and destroy without the CLI, the renderings, and the typed Nomad client. */
export * from './nomad/index.js';
export { DroverError, UserError, InternalError, CancelledError, isDroverError } from './errors.js';
export {
  resolveTargets,
  DEFAULT_NOMAD_ADDRESS,
  type Target,
  type TargetFlags,
  type TargetInputs,
  type ProjectTarget,
  type Environment,
} from './config/target.js';
export {
  connect,
  connections,
  type Connect,
  type Connections,
  type ConnectOptions,
  type ConnectionSettings,
} from './nomad/connect.js';
export type { NomadAccess } from './actions/nomad-access.js';
export type { Sourced } from './util/sourced.js';
export { createLogger, type Logger, type LogLevel } from './util/logger.js';

export { loadJob, type LoadedJob, type LoadOptions } from './source/load-job.js';
export { loadJobFiles, type JobInputs } from './actions/load-jobs.js';
export { planJobs, type PlanInputs } from './actions/plan-jobs.js';
export { planDestroy } from './actions/destroy-plan.js';
export { graphJobs, type GraphInputs, type GraphResult } from './actions/graph-jobs.js';
export { savePlanFile, loadPlanFile } from './actions/plan-file.js';
export {
  applyPlan,
  type ApplyOptions,
  type ApplyResult,
  type ApplyEvent,
  type ChangeResult,
  type Outcome,
} from './apply/apply-plan.js';
export type { WatchEvent } from './watch/watch-job.js';
export {
  ACTIONS,
  countByAction,
  hasChanges,
  type Action,
  type Address,
  type Change,
  type ChangeNote,
  type KindName,
  type Plan,
  type PlanSettings,
} from './plan/model.js';
export type { JobChange } from './kinds/job/change.js';
export { planForDisplay, SENSITIVE, type DisplayPlan } from './plan/mask.js';
export type { Graph, GraphNode, GraphGroup, GraphEdge } from './graph/model.js';
export { rolloutGraph, stepsOfPlan, stepsOfJobs, type RolloutStep } from './graph/rollout.js';
export { renderPlanHuman, summaryLine, type HumanOptions } from './render/plan-human.js';
export { renderPlanJson, PLAN_FORMAT_VERSION } from './render/plan-json.js';
export { renderPlanMarkdown } from './render/plan-markdown.js';
export { renderGraphMermaid } from './render/graph-mermaid.js';
export { renderGraphDot } from './render/graph-dot.js';
export { renderApplySummary, renderApplyJson } from './render/apply-summary.js';
