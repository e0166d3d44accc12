/** Catch-up subscription to $all: confirmation, history, caught-up, then live events. */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { InMemoryLog } from './in-memory-log';
import { caughtUpResponse, checkpointResponse, confirmationResponse, eventResponse } from './responses';
import { filterOf } from './filter';

type ReadCall = grpc.ServerWritableStream<ReadReq, ReadResp>;

/** The live subscriptions, so the server can end them all; counts every one opened. */
export class ActiveSubscriptions {
  private readonly closers = new Set<() => void>();
  opened = 0;

  add(close: () => void): void {
    this.opened++;
    this.closers.add(close);
  }

  delete(close: () => void): void {
    this.closers.delete(close);
  }

  closeAll(): void {
    for (const close of [...this.closers]) close();
  }
}

export function subscribeToAll(
  log: InMemoryLog,
  call: ReadCall,
  options: ReadReq.Options,
  active: ActiveSubscriptions,
): void {
  const filter = filterOf(options);
  let next = firstIndexAfter(log, options.getAll()!);
  let scanned = 0;
  let open = true;
  const pump = (): void => {
    while (open && next < log.all.length) {
      const event = log.all[next++];
      scanned++;
      if (filter.matches(event)) call.write(eventResponse(event));
      if (scanned >= filter.checkpointInterval) {
        call.write(checkpointResponse(event.position));
        scanned = 0;
      }
    }
  };
  call.write(confirmationResponse(randomUUID()));
  pump();
  call.write(caughtUpResponse());
  const unsubscribe = log.onAppended(pump);
  const close = (): void => {
    open = false;
    unsubscribe();
    active.delete(close);
  };
  active.add(close);
  call.on('cancelled', close);
  call.on('close', close);
  call.on('error', close);
}

/** Subscriptions start after the given position (exclusive), unlike reads. */
function firstIndexAfter(log: InMemoryLog, all: ReadReq.Options.AllOptions): number {
  if (all.hasEnd()) return log.all.length;
  if (!all.hasPosition()) return 0;
  const after = BigInt(all.getPosition()!.getCommitPosition());
  const index = log.all.findIndex((e) => e.position > after);
  return index === -1 ? log.all.length : index;
}
