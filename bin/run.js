#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';

// undici parses HTTP with WebAssembly; V8's optimising tier compiles it in the background and a process that
// sent a few requests then waits ~130 ms at exit for that compile. The baseline tier alone exits at once, and
// is no slower for the few thousand responses a drover run reads.
setFlagsFromString('--liftoff-only');

const { main } = await import('../dist/cli/main.js');
await main(fileURLToPath(import.meta.url));
