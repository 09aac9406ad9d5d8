import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** node:crypto, loaded on first use: loading it costs a command ~10 ms, and most runs hash nothing. */
export const crypto = (): typeof Crypto => require('node:crypto') as typeof Crypto;
