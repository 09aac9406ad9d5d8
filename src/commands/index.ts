/**
 * The commands, as oclif finds them through `"strategy": "explicit"`, and the CLI's entry: the module
 * scripts/bundle.js bundles and bin/run.cjs loads. What only some commands use is imported lazily inside them,
 * so its module code runs only when they do.
 */
import Apply from './apply.js';
import Completion from './completion.js';
import Destroy from './destroy.js';
import Drift from './drift.js';
import Fmt from './fmt.js';
import ForceUnlock from './force-unlock.js';
import Graph from './graph.js';
import History from './history.js';
import Import from './import.js';
import Logs from './logs.js';
import Ping from './ping.js';
import Plan from './plan.js';
import Promote from './promote.js';
import Render from './render.js';
import Rollback from './rollback.js';
import Show from './show.js';
import Status from './status.js';
import TestChecks from './test-checks.js';
import Validate from './validate.js';
import Version from './version.js';

export { main } from '../cli/main.js';

export const COMMANDS = {
  apply: Apply,
  completion: Completion,
  destroy: Destroy,
  drift: Drift,
  fmt: Fmt,
  'force-unlock': ForceUnlock,
  graph: Graph,
  history: History,
  import: Import,
  logs: Logs,
  ping: Ping,
  plan: Plan,
  promote: Promote,
  render: Render,
  rollback: Rollback,
  show: Show,
  status: Status,
  'test-checks': TestChecks,
  validate: Validate,
  version: Version,
};
