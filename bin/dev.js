#!/usr/bin/env node
// Development entry: runs the TypeScript sources (the command classes included) through tsx, no build needed.
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { settings } from '@oclif/core';
import { register } from 'tsx/esm/api';

register();
process.env.NODE_ENV = 'development';
settings.debug = true;
const { main } = await import('../src/cli/main.ts');
await main(fileURLToPath(import.meta.url), process.argv.slice(2), {
  commandsFrom: './src/commands/index.ts',
});
