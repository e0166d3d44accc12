/**
 * V8's young generation for the processes and threads that replay the log (the CLI's
 * rebuild-projections and verify, the service's projector thread). A replay allocates a few
 * short-lived objects per event (rows, events, records, statements' parameters); with Node's
 * default 16 MB semi-space a fifth of the replaying thread's CPU went to scavenges. Rebuild
 * of 250,000 events: 44.8 -> 40.8 µs of worker CPU per event, 14.9k -> 16.0k events/s.
 */
export const REPLAY_SEMI_SPACE_MB = 32;

/** Node's flag for a process that replays. */
export const REPLAY_NODE_FLAGS: readonly string[] = [`--max-semi-space-size=${REPLAY_SEMI_SPACE_MB}`];

/** worker_threads' `resourceLimits.maxYoungGenerationSizeMb` for a thread that replays: V8's young generation is three semi-spaces. */
export const REPLAY_YOUNG_GENERATION_MB = 3 * REPLAY_SEMI_SPACE_MB;

/** Whether this process already runs with a semi-space size of its own (flag or NODE_OPTIONS). */
export function hasSemiSpaceFlag(execArgv: readonly string[], nodeOptions = ''): boolean {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((f) => f.startsWith('--max-semi-space-size'));
}
