/** One Jest run covers the pure libraries, the adapters and the end-to-end suites. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  // The path aliases of tsconfig.json (@ledger/<lib>, @ledger/<lib>/test/...).
  moduleNameMapper: {
    '^@ledger/([a-z-]+)/test/(.*)$': '<rootDir>/libs/$1/test/$2',
    '^@ledger/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
    '^@ledger/([a-z-]+)$': '<rootDir>/libs/$1/src',
  },
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    }],
    '^.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // A few dependencies ship ESM only; Jest (unlike Node 20) cannot require them untransformed.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/totals-reporter.js'],
};
