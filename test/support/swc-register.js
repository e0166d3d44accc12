/**
 * `node -r ./test/support/swc-register.js apps/ledger/src/main.ts`: runs the TypeScript
 * sources in a child process, compiled by swc with the options Jest uses, so end-to-end
 * tests can start the real service and CLI as separate processes without a build.
 */
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
