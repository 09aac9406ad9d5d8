// `wsl-utils` as the bundle sees it: oclif asks it one thing at start-up, whether this is WSL (for its
// config.platform, which drover does not read; its powerShellPath serves only oclif's autocomplete plugin), and
// loading it (with child_process) cost ~5 ms of every run.
// The same test is-wsl makes first: a Linux kernel built by Microsoft.
const { release } = require('node:os');

module.exports = { isWsl: process.platform === 'linux' && release().toLowerCase().includes('microsoft') };
