/**
 * Whose verdict a job file gets where Nomad's own differ. `validate`: `nomad job validate` without an agent, which
 * drover validate follows; open-source Nomad's Job.Validate refuses a multiregion job as unlicensed, and lets a
 * priority below 1 pass. `register` (plan, apply, render): a server registering the job, whose verdict on a
 * multiregion job depends on its edition (Nomad Enterprise runs one), and which refuses a priority below 1.
 */
export type Verdict = 'validate' | 'register';
