/** Streams.Read: reads of one stream, reads of $all, catch-up subscriptions to $all. */
import * as grpc from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { InMemoryLog, StoredEvent } from './in-memory-log';
import { eventResponse, streamNotFoundResponse } from './responses';
import { filterOf } from './filter';
import { ActiveSubscriptions, subscribeToAll } from './subscription';

type ReadCall = grpc.ServerWritableStream<ReadReq, ReadResp>;

export function readHandler(log: InMemoryLog, subscriptions: ActiveSubscriptions) {
  return (call: ReadCall): void => {
    const options = call.request.getOptions();
    if (!options) return fail(call, grpc.status.INVALID_ARGUMENT, 'options missing');
    if (options.hasSubscription()) {
      if (!options.hasAll()) return fail(call, grpc.status.UNIMPLEMENTED, 'stream subscriptions: not in the test server');
      return subscribeToAll(log, call, options, subscriptions);
    }
    const events = options.hasStream() ? readStream(log, call, options) : readAll(log, options);
    if (events === undefined) return void call.end();
    for (const event of events) call.write(eventResponse(event));
    call.end();
  };
}

function readStream(log: InMemoryLog, call: ReadCall, options: ReadReq.Options): StoredEvent[] | undefined {
  const streamOptions = options.getStream()!;
  const streamId = Buffer.from(streamOptions.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
  const stream = log.stream(streamId);
  if (!stream) {
    call.write(streamNotFoundResponse(streamId));
    return undefined;
  }
  const count = Number(BigInt(options.getCount()) > BigInt(stream.length) ? stream.length : options.getCount());
  const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
  const from = streamOptions.hasRevision() ? Number(streamOptions.getRevision()) : undefined;
  if (backwards) {
    const start = streamOptions.hasEnd() || from === undefined ? stream.length - 1 : Math.min(from, stream.length - 1);
    return stream.slice(Math.max(0, start - count + 1), start + 1).reverse();
  }
  const start = streamOptions.hasEnd() ? stream.length : from ?? 0;
  return stream.slice(start, start + count);
}

/** Forwards reads include the event at the given position; backwards reads stop before it. */
function readAll(log: InMemoryLog, options: ReadReq.Options): StoredEvent[] {
  const allOptions = options.getAll()!;
  const filter = filterOf(options);
  const count = BigInt(options.getCount());
  const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
  const position = allOptions.hasPosition() ? BigInt(allOptions.getPosition()!.getCommitPosition()) : undefined;
  const candidates = backwards
    ? log.all.filter((e) => allOptions.hasEnd() || position === undefined || e.position < position).reverse()
    : log.all.filter((e) => !allOptions.hasEnd() && (position === undefined || e.position >= position));
  const result: StoredEvent[] = [];
  for (const event of candidates) {
    if (BigInt(result.length) >= count) break;
    if (filter.matches(event)) result.push(event);
  }
  return result;
}

function fail(call: ReadCall, code: grpc.status, details: string): void {
  call.emit('error', { code, details });
}
