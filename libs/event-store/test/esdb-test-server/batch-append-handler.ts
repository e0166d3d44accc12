/**
 * Streams.BatchAppend: one duplex call carries many appends, each a series of requests
 * sharing a correlation id (options in the first, `is_final` on the last), each answered once.
 */
import * as grpc from '@grpc/grpc-js';
import { BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import { InMemoryLog, ProposedEvent } from './in-memory-log';
import { batchAppendResponse } from './batch-append-responses';
import { batchAppendExpectation, proposedEvent, streamIdOf } from './proposed-events';

type BatchAppendCall = grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>;

interface PendingAppend {
  options?: BatchAppendReq.Options;
  events: ProposedEvent[];
}

export function batchAppendHandler(log: InMemoryLog) {
  return (call: BatchAppendCall): void => {
    const pending = new Map<string, PendingAppend>();
    call.on('data', (req: BatchAppendReq) => {
      const correlationId = req.getCorrelationId()!.getString();
      const append = pending.get(correlationId) ?? { events: [] };
      if (req.hasOptions()) append.options = req.getOptions();
      append.events.push(...req.getProposedMessagesList().map(proposedEvent));
      pending.set(correlationId, append);
      if (!req.getIsFinal()) return;
      pending.delete(correlationId);
      const options = append.options!;
      const expected = batchAppendExpectation(options);
      const outcome = log.append(streamIdOf(options), expected, append.events);
      call.write(batchAppendResponse(correlationId, streamIdOf(options), outcome, expected));
    });
    call.on('end', () => call.end());
  };
}
