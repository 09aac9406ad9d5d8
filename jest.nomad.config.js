/** The real-agent suite (npm run test:nomad): test/nomad/ against `nomad agent -dev`, one file at a time. */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/nomad/**/*.test.ts'],
  testPathIgnorePatterns: [],
  maxWorkers: 1,
  testTimeout: 120000,
};
