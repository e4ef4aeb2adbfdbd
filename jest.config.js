/** @type {import('jest').Config} */
module.exports = {
  // Node's environment, failing a test file that leaves a server, socket or timer open.
  testEnvironment: '<rootDir>/test/support/environment.ts',
  // Says once when the Redis tests cannot run (ATTUNE_TEST_REDIS_URL unset, or no answer).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    // jose (under jwks-rsa, which the Agents SDK loads) ships ES modules only: Node 20.19+
    // requires them natively, Jest's module system (before Node 24.9) does not.
    '/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['^(?!.*/node_modules/jose/).*/node_modules/'],
  testTimeout: 30000,
};
