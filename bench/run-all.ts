/** `npm run bench`: every benchmark, each printing its own figures. */
import { benchParse } from './parse.js';
import { benchStartup } from './startup.js';

benchStartup();
benchParse();
