/** Builders of the protobuf messages the real server sends. */
import { ReadResp, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { AppendOutcome, Expectation, StoredEvent } from './in-memory-log';

export function streamIdentifier(streamId: string): StreamIdentifier {
  const identifier = new StreamIdentifier();
  identifier.setStreamName(Uint8Array.from(Buffer.from(streamId, 'utf8')));
  return identifier;
}

/** Since server 22.6, events read from a stream carry their $all position too (appends are never explicit transactions). */
export function eventResponse(event: StoredEvent): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  const id = new UUID();
  id.setString(event.id);
  recorded.setId(id);
  recorded.setStreamIdentifier(streamIdentifier(event.streamId));
  recorded.setStreamRevision(event.revision.toString());
  const position = event.position.toString();
  recorded.setCommitPosition(position);
  recorded.setPreparePosition(position);
  const metadata = recorded.getMetadataMap();
  metadata.set('type', event.type);
  metadata.set('content-type', event.contentType);
  metadata.set('created', event.createdTicks.toString());
  recorded.setData(event.data);
  recorded.setCustomMetadata(event.metadata);
  const readEvent = new ReadResp.ReadEvent();
  readEvent.setEvent(recorded);
  readEvent.setCommitPosition(position);
  const resp = new ReadResp();
  resp.setEvent(readEvent);
  return resp;
}

export function streamNotFoundResponse(streamId: string): ReadResp {
  const notFound = new ReadResp.StreamNotFound();
  notFound.setStreamIdentifier(streamIdentifier(streamId));
  const resp = new ReadResp();
  resp.setStreamNotFound(notFound);
  return resp;
}

export function confirmationResponse(subscriptionId: string): ReadResp {
  const confirmation = new ReadResp.SubscriptionConfirmation();
  confirmation.setSubscriptionId(subscriptionId);
  const resp = new ReadResp();
  resp.setConfirmation(confirmation);
  return resp;
}

export function checkpointResponse(position: bigint): ReadResp {
  const checkpoint = new ReadResp.Checkpoint();
  checkpoint.setCommitPosition(position.toString());
  checkpoint.setPreparePosition(position.toString());
  const resp = new ReadResp();
  resp.setCheckpoint(checkpoint);
  return resp;
}

export function caughtUpResponse(): ReadResp {
  const resp = new ReadResp();
  resp.setCaughtUp(new ReadResp.CaughtUp());
  return resp;
}

export function appendResponse(outcome: AppendOutcome): AppendResp {
  const resp = new AppendResp();
  if (outcome.kind === 'wrong_expected_version') {
    resp.setWrongExpectedVersion(wrongExpectedVersion(outcome.current, outcome.expected));
    return resp;
  }
  const success = new AppendResp.Success();
  if (outcome.revision < 0n) success.setNoStream(new Empty());
  else success.setCurrentRevision(outcome.revision.toString());
  if (outcome.position === undefined) success.setNoPosition(new Empty());
  else success.setPosition(appendPosition(outcome.position));
  resp.setSuccess(success);
  return resp;
}

function appendPosition(position: bigint): AppendResp.Position {
  const p = new AppendResp.Position();
  p.setCommitPosition(position.toString());
  p.setPreparePosition(position.toString());
  return p;
}

function wrongExpectedVersion(current: bigint | undefined, expected: Expectation): AppendResp.WrongExpectedVersion {
  const wev = new AppendResp.WrongExpectedVersion();
  if (current === undefined) wev.setCurrentNoStream(new Empty());
  else wev.setCurrentRevision(current.toString());
  switch (expected.kind) {
    case 'any':
      wev.setExpectedAny(new Empty());
      break;
    case 'no_stream':
      wev.setExpectedNoStream(new Empty());
      break;
    case 'stream_exists':
      wev.setExpectedStreamExists(new Empty());
      break;
    case 'revision':
      wev.setExpectedRevision(expected.revision.toString());
      break;
  }
  return wev;
}
