// `undici` as the bundle sees it: drover uses its Agent alone, and undici's index also loads fetch, WebSocket,
// the cache and the mock layers (~60 ms of module code on every run that talks to Nomad). This is the part of
// undici's index that an Agent needs: the request API on every dispatcher. Every e2e test goes through it.
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js');
Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js'));
module.exports = { Agent: require('undici/lib/dispatcher/agent.js') };
