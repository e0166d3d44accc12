import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import { AllStreamPosition, UUID, WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { AppendOutcome, Expectation } from './in-memory-log';
import { streamIdentifier } from './responses';

export function batchAppendResponse(
  correlationId: string,
  streamId: string,
  outcome: AppendOutcome,
  expected: Expectation,
): BatchAppendResp {
  const resp = new BatchAppendResp();
  const id = new UUID();
  id.setString(correlationId);
  resp.setCorrelationId(id);
  resp.setStreamIdentifier(streamIdentifier(streamId));
  setExpected(resp, expected);
  if (outcome.kind === 'wrong_expected_version') resp.setError(wrongExpectedVersionStatus(outcome.current, expected));
  else resp.setSuccess(success(outcome.revision, outcome.position));
  return resp;
}

function success(revision: bigint, position: bigint | undefined): BatchAppendResp.Success {
  const result = new BatchAppendResp.Success();
  if (revision < 0n) result.setNoStream(new Empty());
  else result.setCurrentRevision(revision.toString());
  if (position === undefined) {
    result.setNoPosition(new Empty());
  } else {
    const p = new AllStreamPosition();
    p.setCommitPosition(position.toString());
    p.setPreparePosition(position.toString());
    result.setPosition(p);
  }
  return result;
}

function wrongExpectedVersionStatus(current: bigint | undefined, expected: Expectation): Status {
  const details = new WrongExpectedVersion();
  if (current === undefined) details.setCurrentNoStream(new Empty());
  else details.setCurrentStreamRevision(current.toString());
  if (expected.kind === 'revision') details.setExpectedStreamPosition(expected.revision.toString());
  else if (expected.kind === 'no_stream') details.setExpectedNoStream(new Empty());
  else if (expected.kind === 'stream_exists') details.setExpectedStreamExists(new Empty());
  else details.setExpectedAny(new Empty());
  const packed = new Any();
  packed.pack(details.serializeBinary(), 'event_store.client.WrongExpectedVersion');
  const status = new Status();
  status.setCode(Code.FAILED_PRECONDITION);
  status.setMessage('WrongExpectedVersion');
  status.setDetails(packed);
  return status;
}

function setExpected(resp: BatchAppendResp, expected: Expectation): void {
  if (expected.kind === 'revision') resp.setStreamPosition(expected.revision.toString());
  else if (expected.kind === 'no_stream') resp.setNoStream(new Empty());
  else if (expected.kind === 'stream_exists') resp.setStreamExists(new Empty());
  else resp.setAny(new Empty());
}
