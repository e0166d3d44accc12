/** Validation at the domain's edge (SPEC 12): what every entry checks before a command is decided or recorded. */
export * from './input-limits';
export * from './text-checks';
export * from './json-checks';
export * from './feature-settings';
export * from './number-command-input';
export * from './account-input';
