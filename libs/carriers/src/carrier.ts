/**
 * The contract every upstream carrier client fulfils (SPEC 4): search the
 * carrier's stock, buy a number, give it back. The service fans searches out
 * over enabled clients and orders/disconnects before recording a state change.
 */
import type { CarrierModule } from '../../domain/src/types';

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
  /** `pending`: bought, the carrier is still activating it (Telnyx). */
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

export type UpstreamStatus = 'available' | 'pending' | 'active' | 'failed' | 'disconnected' | 'unknown';

export interface CarrierClient {
  readonly module: IntegrationModule;
  readonly supportsDisconnect: boolean;
  search(query: SearchQuery, signal?: AbortSignal): Promise<UpstreamNumber[]>;
  /** Buys the number; resolves only once the carrier has accepted (async orders are polled). */
  order(e164: string): Promise<OrderResult>;
  /** Gives the number back to the carrier. */
  disconnect(e164: string): Promise<void>;
  /** Holds a number upstream without buying it (Telnyx number reservations). */
  reserve?(e164: string): Promise<ReservationResult>;
  searchBlocks?(query: BlockQuery, signal?: AbortSignal): Promise<UpstreamBlock[]>;
  status?(e164: string): Promise<UpstreamStatus>;
}
