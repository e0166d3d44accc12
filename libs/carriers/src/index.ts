export * from './carrier';
export * from './carrier-fault';
export * from './carrier-logger';
export * from './carrier-settings';
export { createCarrierClient, integrationModule, type CarrierClientDeps } from './create-carrier-client';
export { createFeatureProvider, FEATURE_PROVIDER_MODULES } from './create-feature-provider';
export * from './feature-provider';
export * from './feature-sync';
