// The `debug` package as the bundle sees it: oclif traces its internals through it (DEBUG=oclif:*), and loading
// it (with tty and supports-color) cost ~10 ms of every start-up. drover's own diagnostics are --log-level.
function debug() {
  const log = () => {};
  log.enabled = false;
  log.extend = debug;
  return log;
}
debug.enable = () => {};
debug.disable = () => '';
debug.enabled = () => false;
module.exports = debug;
