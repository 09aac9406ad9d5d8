/**
 * One first evaluation of a project's checks, in this fresh process, as a CLI run pays it (bench/checks.ts runs
 * it): `tsx bench/checks-first-run.ts PLAN_FILE PROJECT_DIR` prints `{"maskMs", "checksMs", "failed"}`. The masking
 * is timed apart: the plan's rendering shares it (src/plan/mask.ts), so a plan without checks pays it too.
 */
import { join } from 'node:path';
import { loadPlanFile } from '../src/actions/plan-file.js';
import { evaluateChecks } from '../src/checks/evaluate-checks.js';
import { validateChecks } from '../src/checks/validate-checks.js';
import { planForDisplay } from '../src/plan/mask.js';
import { readEstate } from '../src/source/estate.js';
import { readProjectDocument } from '../src/source/project-file.js';

const [planFile, dir] = process.argv.slice(2) as [string, string];
const { plan } = loadPlanFile(planFile);
const document = readProjectDocument(join(dir, 'drover.hcl'), undefined, 'drover.hcl');
const estate = readEstate(document, { cwd: dir, namespace: 'default', values: () => ({}) });
if (validateChecks(estate.checks, estate.checkScope).length > 0) throw new Error('bench rules are broken');

let started = performance.now();
planForDisplay(plan, { showSensitive: false });
const maskMs = performance.now() - started;
started = performance.now();
const report = evaluateChecks(
  { checks: estate.checks, scope: estate.checkScope, sources: estate.sources },
  plan,
  { time: new Date(plan.createdAt) },
);
const checksMs = performance.now() - started;
const failed = report.results.filter((r) => r.status !== 'passed').length;
console.log(JSON.stringify({ maskMs, checksMs, failed }));
