/** @type {import('jest').Config} */
module.exports = {
  // Node's environment, failing a test file that leaves a server, socket or timer open.
  testEnvironment: '<rootDir>/test/support/environment.ts',
  // Says once when the Redis tests cannot run (ATTUNE_TEST_REDIS_URL unset, or no answer).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 30000,
};
