/** `npm run bench`: every benchmark, each printing its own figures. */
import { benchParse } from './parse.js';
import { benchPlan } from './plan.js';
import { benchStartup } from './startup.js';

benchStartup();
benchParse();
await benchPlan();
