export * from './lineage';
export * from './service-numbers';
