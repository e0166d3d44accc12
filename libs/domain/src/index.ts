/** The pure domain of the number ledger (SPEC.md sections 1 to 5 and 8). */
export * from './types';
export * from './errors';
export * from './account-events';
export * from './accounts';
export * from './authorization';
export * from './carrier-policy';
export * from './classify';
export * from './config';
export * from './number/decide';
export * from './number/evolve';
export * from './features';
export * from './normalize';
export * from './time';
export * from './validation';
export * from './tenancy';
