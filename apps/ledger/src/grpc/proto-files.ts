import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Options } from '@grpc/proto-loader';

export const LEDGER_PACKAGE = 'numbers.ledger.v1';
export const LEDGER_PROTO = 'numbers/ledger/v1/ledger.proto';
export const HEALTH_PROTO = 'grpc/health/v1/health.proto';
export const LEDGER_SERVICES = ['Accounts', 'Numbers', 'Billing', 'Services', 'Audits', 'Tasks', 'CarrierReconciliations', 'Log'].map((s) => `${LEDGER_PACKAGE}.${s}`);

/** The repository's proto/ directory, found above this file (sources or dist/) or the working directory. */
export function protoRoot(): string {
  for (const from of [__dirname, process.cwd()]) {
    for (let dir = from; ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'proto', LEDGER_PROTO))) return join(dir, 'proto');
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`proto/${LEDGER_PROTO} not found above ${__dirname} or ${process.cwd()}`);
}

/**
 * Proto field names become camelCase (as in the HTTP resources); int64 are JS numbers;
 * unset scalars stay absent so "not given" differs from "empty"; unset lists and maps are empty.
 */
export function loaderOptions(): Options {
  return { keepCase: false, longs: Number, enums: String, defaults: false, arrays: true, objects: true, oneofs: false, includeDirs: [protoRoot()] };
}
