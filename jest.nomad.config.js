/** The real-agent suite (npm run test:nomad): test/nomad/ against `nomad agent -dev`, one file at a time. */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/nomad/**/*.test.ts'],
  testPathIgnorePatterns: [],
  // Agents mount into their data directories: the harness removes each one itself once it has unmounted it.
  globalSetup: undefined,
  globalTeardown: undefined,
  maxWorkers: 1,
  testTimeout: 120000,
};
