import { LedgerError } from './errors';
import { CARRIER_MODULES, type CarrierModule, type NumberManagerConfig, type NumberState } from './types';

/**
 * What happens to an unassigned number on release (SPEC 3 step 5 and SPEC 4):
 * - `delete`: the number is deleted (local and mdn numbers bypass the lifecycle);
 * - `lifecycle`: configured `releasedState`, or `aging` when `shouldAge`;
 * - `released`: always the `released` state (knm_inum);
 * - `none`: the module never holds numbers (knm_reserved*); treated as `lifecycle`.
 */
export type ReleaseBehaviour = 'delete' | 'lifecycle' | 'released' | 'none';

/** How numbers of a module come in (SPEC 4, "how numbers get in"). */
export type CreationSource =
  | 'account_admin' // knm_local: added by an account's admin for that account
  | 'operator' //      inventory / managed / inum: operator import or generate_numbers
  | 'mdn_entry' //     knm_mdn: the mobile-services entry only
  | 'upstream' //      integrations: discovered upstream, bought on acquire
  | 'none'; //         knm_reserved*: search providers, never a number's module

export interface CarrierPolicy {
  module: CarrierModule;
  /** Local numbers: not billed, no call authorization, no inter-account routing, no charged features. */
  local: boolean;
  /** Counted by billing. `knm_inventory` depends on `config.billInventoryNumbers` (see `isBillable`). */
  billable: boolean;
  /** Billing for this module is decided by `config.billInventoryNumbers`. */
  billableByConfig: boolean;
  creation: CreationSource;
  onRelease: ReleaseBehaviour;
  /** Upstream carrier integration: numbers are discovered, ordered on acquire and disconnected on release. */
  integration: boolean;
  /** Numbers belong to one predetermined account's pool (knm_managed). */
  pool: boolean;
  /** States a number of this module may ever be in; `null` = any. */
  allowedStates: NumberState[] | null;
  /** Charged features (e911, cnam, sms, mms, port) are denied unless `config.localFeatureOverride`. */
  deniesChargedFeatures: boolean;
  /** Calls to/from the number go through call authorization. */
  callAuthorization: boolean;
  /** The number can route calls to other accounts without leaving the cluster. */
  interAccountRouting: boolean;
}

function policy(module: CarrierModule, p: Omit<CarrierPolicy, 'module' | 'deniesChargedFeatures' | 'callAuthorization' | 'interAccountRouting' | 'billableByConfig' | 'pool' | 'allowedStates'> & Partial<CarrierPolicy>): CarrierPolicy {
  return {
    module,
    billableByConfig: false,
    pool: false,
    allowedStates: null,
    deniesChargedFeatures: false,
    callAuthorization: true,
    interAccountRouting: true,
    ...p,
  };
}

/** SPEC 4: "Local numbers (knm_local, knm_mdn) by default: ..." */
const LOCAL_RESTRICTIONS = { deniesChargedFeatures: true, callAuthorization: false, interAccountRouting: false } as const;

const INTEGRATION = { local: false, billable: true, creation: 'upstream', onRelease: 'lifecycle', integration: true } as const;

/**
 * SPEC 4 as data. `local` is the table's column; the restrictions of local
 * numbers (no billing, no call authorization, no inter-account routing, no
 * charged features) apply to knm_local and knm_mdn only, as SPEC 4 says.
 */
export const CARRIER_POLICIES: Readonly<Record<CarrierModule, CarrierPolicy>> = {
  knm_local: policy('knm_local', { local: true, billable: false, creation: 'account_admin', onRelease: 'delete', integration: false, ...LOCAL_RESTRICTIONS }),
  knm_inventory: policy('knm_inventory', { local: false, billable: false, billableByConfig: true, creation: 'operator', onRelease: 'lifecycle', integration: false }),
  knm_managed: policy('knm_managed', { local: true, billable: true, creation: 'operator', onRelease: 'lifecycle', integration: false, pool: true }),
  knm_mdn: policy('knm_mdn', { local: true, billable: false, creation: 'mdn_entry', onRelease: 'delete', integration: false, allowedStates: ['in_service', 'deleted'], ...LOCAL_RESTRICTIONS }),
  knm_reserved: policy('knm_reserved', { local: true, billable: false, creation: 'none', onRelease: 'none', integration: false }),
  knm_reserved_reseller: policy('knm_reserved_reseller', { local: true, billable: false, creation: 'none', onRelease: 'none', integration: false }),
  knm_inum: policy('knm_inum', { local: true, billable: false, creation: 'operator', onRelease: 'released', integration: false }),
  knm_telnyx: policy('knm_telnyx', INTEGRATION),
  knm_bandwidth2: policy('knm_bandwidth2', INTEGRATION),
  knm_vitelity: policy('knm_vitelity', INTEGRATION),
  knm_voip_innovations: policy('knm_voip_innovations', INTEGRATION),
  knm_other: policy('knm_other', INTEGRATION),
};

export function carrierPolicy(module: CarrierModule): CarrierPolicy {
  const p = CARRIER_POLICIES[module];
  if (!p) throw new LedgerError('validation_failed', `unknown carrier module: ${String(module)}`);
  return p;
}

/** The `local` column of SPEC 4. */
export function isLocalModule(module: CarrierModule): boolean {
  return carrierPolicy(module).local;
}

export function isBillable(module: CarrierModule, config: Pick<NumberManagerConfig, 'billInventoryNumbers'>): boolean {
  const p = carrierPolicy(module);
  return p.billableByConfig ? config.billInventoryNumbers : p.billable;
}

export const DEPRECATED_CARRIER_MODULES: Readonly<Record<string, CarrierModule>> = { knm_bandwidth: 'knm_bandwidth2' };

export function isCarrierModule(value: unknown): value is CarrierModule {
  return typeof value === 'string' && (CARRIER_MODULES as readonly string[]).includes(value);
}

/**
 * Parses operator/API input into a carrier module. Accepts the short form
 * (`local` for `knm_local`). `knm_bandwidth` is refused with a message
 * pointing to `knm_bandwidth2`; anything unknown is `validation_failed`.
 */
export function parseCarrierModule(input: unknown): CarrierModule {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new LedgerError('validation_failed', 'carrier module is required', { field: 'carrierModule' });
  }
  const raw = input.trim().toLowerCase();
  const name = raw.startsWith('knm_') ? raw : `knm_${raw}`;
  const replacement = DEPRECATED_CARRIER_MODULES[name];
  if (replacement) {
    throw new LedgerError('validation_failed', `carrier module ${name} is deprecated and no longer supported; use ${replacement} instead`, {
      field: 'carrierModule', deprecated: name, replacement,
    });
  }
  if (!isCarrierModule(name)) {
    throw new LedgerError('validation_failed', `unknown carrier module: ${input} (known: ${CARRIER_MODULES.join(', ')})`, {
      field: 'carrierModule',
    });
  }
  return name;
}

/** Read-only flags shown on a number (SPEC 4: defaults of local numbers). */
export interface NumberFlags {
  local: boolean;
  billable: boolean;
  callAuthorization: boolean;
  interAccountRouting: boolean;
  chargedFeaturesDenied: boolean;
}

export function numberFlags(module: CarrierModule, config: NumberManagerConfig): NumberFlags {
  const p = carrierPolicy(module);
  return {
    local: p.local,
    billable: isBillable(module, config),
    callAuthorization: p.callAuthorization,
    interAccountRouting: p.interAccountRouting,
    chargedFeaturesDenied: p.deniesChargedFeatures && !config.localFeatureOverride,
  };
}
