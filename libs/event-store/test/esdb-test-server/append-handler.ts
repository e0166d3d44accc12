/** Streams.Append: client-streaming, the options first, then one proposed message per event. */
import * as grpc from '@grpc/grpc-js';
import { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import { InMemoryLog, ProposedEvent } from './in-memory-log';
import { appendResponse } from './responses';
import { appendExpectation, proposedEvent, streamIdOf } from './proposed-events';

type AppendCall = grpc.ServerReadableStream<AppendReq, AppendResp>;

export function appendHandler(log: InMemoryLog) {
  return (call: AppendCall, callback: grpc.sendUnaryData<AppendResp>): void => {
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    call.on('data', (req: AppendReq) => {
      if (req.hasOptions()) options = req.getOptions();
      const proposed = req.getProposedMessage();
      if (proposed) events.push(proposedEvent(proposed));
    });
    call.on('end', () => {
      if (!options) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'append options missing' });
      callback(null, appendResponse(log.append(streamIdOf(options), appendExpectation(options), events)));
    });
  };
}
