// node:http2 as undici's HTTP/2 client sees it in the bundle: undici speaks HTTP/2 only with allowH2, which drover
// never sets, and loading node:http2 (with node:tls) cost ~35 ms of every run that talks to Nomad. undici itself
// falls back to this shape when node:http2 is missing.
module.exports = { constants: {} };
