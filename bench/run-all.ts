/** `npm run bench`: every benchmark, each printing its own figures. */
import { benchStartup } from './startup.js';

benchStartup();
