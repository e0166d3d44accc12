export * from './number-manager-config';
export * from './events';
export * from './decider';
