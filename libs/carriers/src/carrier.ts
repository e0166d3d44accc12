/**
 * The contract every upstream carrier client fulfils (SPEC 4): search the
 * carrier's stock, buy a number, give it back. The service fans searches out
 * over enabled clients and orders/disconnects before recording a state change.
 */
import type { CarrierModule } from '@ledger/domain/types';

export const INTEGRATION_MODULES = [
  'knm_telnyx', 'knm_bandwidth2', 'knm_vitelity', 'knm_voip_innovations', 'knm_other',
] as const satisfies readonly CarrierModule[];
export type IntegrationModule = (typeof INTEGRATION_MODULES)[number];

export const isIntegrationModule = (module: string): module is IntegrationModule =>
  (INTEGRATION_MODULES as readonly string[]).includes(module);

export interface SearchQuery {
  /** Digits after the country code, e.g. NPA `415` or `4155`. */
  prefix: string;
  quantity: number;
  /** ISO 3166 alpha-2; `US` when absent. */
  country?: string;
  tollfree?: boolean;
}

export interface BlockQuery {
  prefix: string;
  /** How many consecutive numbers the block must hold. */
  size: number;
}

export interface UpstreamNumber {
  /** E.164. */
  number: string;
  carrierModule: IntegrationModule;
  /** What the carrier charges us, when it says. */
  rate?: { upfront?: number; monthly?: number; currency?: string };
  /** What the operator charges for it (module settings `costs`). */
  costs: { activation: number; monthly: number };
  /** State / administrative area. */
  region?: string;
  locality?: string;
  rateCenter?: string;
  features?: string[];
}

export interface UpstreamBlock {
  start: string;
  end: string;
  size: number;
  carrierModule: IntegrationModule;
}

export interface OrderResult {
  number: string;
  carrierModule: IntegrationModule;
  orderId?: string;
  /**
   * `complete`: the carrier confirmed the purchase. `pending`: the carrier took
   * the order but had not confirmed it within the module's `orderPoll` bound
   * (check it later with `orderStatus`). A failed order throws.
   */
  status: 'complete' | 'pending';
  /** True when sandbox provisioning answered instead of the carrier. */
  sandbox: boolean;
}

export interface ReservationResult {
  number: string;
  carrierModule: IntegrationModule;
  reservationId?: string;
  expiresAt?: string;
  sandbox: boolean;
}

/** The carrier's answer about an order placed earlier. */
export type OrderCheck = { status: 'complete' } | { status: 'pending' } | { status: 'failed'; reason: string };

/** `not_held`: the carrier positively said the account does not have the number. */
export type DisconnectResult = 'disconnected' | 'not_held';

/** One number the carrier says is on the operator's account. */
export interface HeldNumber {
  number: string;
  /** The carrier's own word for its state (`active`, `purchase_pending`, `Inservice`...). */
  upstreamState: string;
}

export type UpstreamStatus = 'available' | 'pending' | 'active' | 'failed' | 'disconnected' | 'unknown';

export interface CarrierClient {
  readonly module: IntegrationModule;
  readonly supportsDisconnect: boolean;
  search(query: SearchQuery, signal?: AbortSignal): Promise<UpstreamNumber[]>;
  /** Buys the number; asynchronous orders are polled within `orderPoll`, then reported `pending`. */
  order(e164: string): Promise<OrderResult>;
  /** Asks the carrier about an order `order` answered `pending` (modules whose orders can be pending). */
  orderStatus?(e164: string, orderId: string | null): Promise<OrderCheck>;
  /**
   * Gives the number back to the carrier. Resolves only when the carrier
   * confirmed it, or positively said it does not have the number (`not_held`);
   * a miss, an ambiguous answer or a refusal throws a CarrierFault.
   */
  disconnect(e164: string): Promise<DisconnectResult>;
  /**
   * The numbers on the operator's account at the carrier, page after page
   * (modules whose API lists them; see docs/carriers.md).
   */
  listNumbers?(signal?: AbortSignal): AsyncIterable<HeldNumber[]>;
  /** Holds a number upstream without buying it (Telnyx number reservations). */
  reserve?(e164: string): Promise<ReservationResult>;
  searchBlocks?(query: BlockQuery, signal?: AbortSignal): Promise<UpstreamBlock[]>;
  status?(e164: string): Promise<UpstreamStatus>;
}
