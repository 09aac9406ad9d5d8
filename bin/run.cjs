#!/usr/bin/env node
'use strict';
// CommonJS on purpose: an ES module entry costs ~10 ms more of Node's loader before drover's first line runs.
const { join } = require('node:path');
const { setFlagsFromString } = require('node:v8');

// undici parses HTTP with WebAssembly; V8's optimising tier compiles it in the background and a process that
// sent a few requests then waits ~130 ms at exit for that compile. The baseline tier alone exits at once, and
// is no slower for the few thousand responses a drover run reads. Set before anything is compiled: V8 refuses a
// code cache made under other flags.
setFlagsFromString('--liftoff-only');

const { loadBundle } = require('../dist/cli/compile-cache.cjs');
const command = process.argv.slice(2).find((arg) => !arg.startsWith('-')) ?? 'root';
const { main } = loadBundle(join(__dirname, '../dist/cli/drover.cjs'), command);
main(__filename);
