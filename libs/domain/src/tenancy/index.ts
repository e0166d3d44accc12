export * from './lineage';
export * from './service-numbers';
export * from './view';
