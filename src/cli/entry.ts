/**
 * The CLI as one bundle (scripts/bundle.js): the entry bin/run.cjs loads, and the command classes oclif finds
 * through `"strategy": "explicit"`. What only some commands use is imported lazily inside them, so it lands in
 * chunks of its own that --help, version and validate never load.
 */
import Apply from '../commands/apply.js';
import Completion from '../commands/completion.js';
import Destroy from '../commands/destroy.js';
import Logs from '../commands/logs.js';
import Ping from '../commands/ping.js';
import Plan from '../commands/plan.js';
import Render from '../commands/render.js';
import Show from '../commands/show.js';
import Status from '../commands/status.js';
import Validate from '../commands/validate.js';
import Version from '../commands/version.js';

export { main } from './main.js';

export const COMMANDS = {
  apply: Apply,
  completion: Completion,
  destroy: Destroy,
  logs: Logs,
  ping: Ping,
  plan: Plan,
  render: Render,
  show: Show,
  status: Status,
  validate: Validate,
  version: Version,
};
