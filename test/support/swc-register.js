/**
 * `node -r ./test/support/swc-register.js apps/ledger/src/main.ts`: runs the TypeScript
 * sources in a child process, compiled by swc with the options Jest uses, so end-to-end
 * tests can start the real service and CLI as separate processes without a build.
 * Compiled files are kept in the temp directory by content hash, so later children load faster.
 */
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { transformSync, version } = require('@swc/core');

const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
const cacheDir = join(tmpdir(), 'ledger-swc-register-cache');
mkdirSync(cacheDir, { recursive: true });

function compile(source, filename) {
  const hash = createHash('sha256').update(`${version}\n${filename}\n${source}`).digest('hex');
  const cached = join(cacheDir, `${hash}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    const { code } = transformSync(source, { ...options, filename });
    const partial = `${cached}.${process.pid}`;
    writeFileSync(partial, code);
    renameSync(partial, cached); // atomic: a concurrent child never reads half a file
    return code;
  }
}

require.extensions['.ts'] = (module, filename) => {
  module._compile(compile(readFileSync(filename, 'utf8'), filename), filename);
};

// The path aliases of tsconfig.json, as Jest's moduleNameMapper resolves them (@ledger/<lib>, @ledger/<lib>/test/...).
const Module = require('node:module');
const root = join(__dirname, '..', '..');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = /^@ledger\/([a-z-]+)(?:\/(test)\/(.*)|\/(.*))?$/.exec(request);
  if (alias) {
    const [, lib, test, testPath, srcPath] = alias;
    request = test ? join(root, 'libs', lib, 'test', testPath) : join(root, 'libs', lib, 'src', srcPath ?? '');
  }
  return resolveFilename.call(this, request, ...rest);
};
