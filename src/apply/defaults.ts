/**
 * Jobs of one wave registered and followed at once by default (docs/performance.md, "Applying many jobs at
 * once"). Measured on the simulator (bench/apply-scale.ts) and a real Nomad 2.0.5 agent: 50 independent
 * rollouts finish within 2× of one alone only when (nearly) all of them run together; following them is one
 * event stream whatever their number, and each job's own update block still paces its rollout. --parallelism
 * lowers it.
 */
export const DEFAULT_PARALLELISM = 64;
