import type { IntegrationModule } from './carrier';
import { LedgerError } from '@ledger/domain/errors';

export type CarrierFaultKind =
  | 'timeout' | 'aborted' | 'network' | 'http' | 'malformed' | 'rejected' | 'refused' | 'invalid_request';

export interface CarrierFaultDetail {
  status?: number;
  retriable: boolean;
  kind?: CarrierFaultKind;
}

/**
 * The upstream carrier failed (SPEC 10 `carrier_fault`, 502). Messages are
 * built from scrubbed text only (see `SecretScrubber`): no credentials, no
 * request URL or body, and no `cause` is attached so nothing leaks through
 * `util.inspect` or JSON serialization.
 */
export class CarrierFault extends Error {
  readonly code = 'carrier_fault' as const;
  readonly status?: number;
  readonly retriable: boolean;
  readonly kind: CarrierFaultKind;

  constructor(readonly module: IntegrationModule, message: string, detail: CarrierFaultDetail) {
    super(message);
    this.name = 'CarrierFault';
    this.status = detail.status;
    this.retriable = detail.retriable;
    this.kind = detail.kind ?? 'rejected';
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name, code: this.code, module: this.module, message: this.message,
      status: this.status, retriable: this.retriable, kind: this.kind,
    };
  }
}

export const isCarrierFault = (error: unknown): error is CarrierFault => error instanceof CarrierFault;

/** Bad module configuration (unknown or deprecated module, missing settings). */
export class CarrierConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CarrierConfigError';
  }
}

/** A run of 16 or more characters of the kinds tokens are written in (base64, hex, URL escapes). */
const TOKEN_LIKE = /[A-Za-z0-9+/=_%~.-]{16,}/g;

/**
 * The API error for a fault (SPEC 10 `carrier_fault`, 502). Its text is the fault's (scrubbed
 * of the credentials' known forms), with every token-like run masked as well: the carrier's
 * answer comes from the operator's account and may quote the request back in forms no scrubber
 * foresees (hex, reversed, encoded twice). Reasons in words ("Deletion lock") stay readable;
 * the whole answer is in the service's log.
 */
export const toLedgerError = (fault: CarrierFault): LedgerError =>
  new LedgerError('carrier_fault', fault.message.replace(TOKEN_LIKE, '***'), {
    module: fault.module, upstreamStatus: fault.status, retriable: fault.retriable, kind: fault.kind,
  });
