/** `npm run bench`: every benchmark, each printing its own figures. */
import { benchApply } from './apply.js';
import { benchApplyScale } from './apply-scale.js';
import { benchChecks } from './checks.js';
import { benchClusters } from './clusters.js';
import { benchEstate } from './estate.js';
import { benchParse } from './parse.js';
import { benchPlan } from './plan.js';
import { benchScale } from './scale.js';
import { benchSimulatorCpu } from './simulator-cpu.js';
import { benchStartup } from './startup.js';

await benchStartup();
await benchParse();
await benchPlan();
await benchEstate();
await benchChecks();
await benchSimulatorCpu();
await benchClusters();
await benchApply();
await benchApplyScale();
await benchScale();
