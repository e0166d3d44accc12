import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import { StoredEvent } from './in-memory-log';

export interface EventFilter {
  matches(event: StoredEvent): boolean;
  /** Events scanned between two checkpoints of a filtered subscription. */
  checkpointInterval: number;
}

/** The real server's default search window when the client sends `count`. */
const DEFAULT_WINDOW = 32;

const everything: EventFilter = { matches: () => true, checkpointInterval: Number.POSITIVE_INFINITY };

export function filterOf(options: ReadReq.Options): EventFilter {
  const filter = options.getFilter();
  if (!filter) return everything;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) return everything;
  const test = expressionTest(expression);
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_WINDOW;
  return {
    matches: (event) => test(onStream ? event.streamId : event.type),
    checkpointInterval: window * Math.max(1, filter.getCheckpointintervalmultiplier()),
  };
}

function expressionTest(expression: ReadReq.Options.FilterOptions.Expression): (value: string) => boolean {
  const regex = expression.getRegex();
  if (regex) {
    const pattern = new RegExp(regex);
    return (value) => pattern.test(value);
  }
  const prefixes = expression.getPrefixList();
  return (value) => prefixes.some((prefix) => value.startsWith(prefix));
}
