import type { RequestContext } from '../../core/request-context';

export { eventMetadata } from '../../core/request-context';

/** The request context under its former name (core/request-context.ts). */
export type CommandMeta = RequestContext;
