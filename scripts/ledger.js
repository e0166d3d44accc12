#!/usr/bin/env node
// `npx ledger ...` right after `npm ci`: builds dist/ when it is missing or stale, then runs the CLI.
require('./build-if-stale').buildIfStale();
require('../dist/apps/ledger-cli/src/main.js');
