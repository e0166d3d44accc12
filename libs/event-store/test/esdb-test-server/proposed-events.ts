import { AppendReq, BatchAppendReq } from '@eventstore/db-client/generated/streams_pb';
import { Expectation, ProposedEvent } from './in-memory-log';

type ProposedMessage = AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage;

export function proposedEvent(message: ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    id: message.getId()!.getString(),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

export function streamIdOf(options: { getStreamIdentifier(): { getStreamName_asU8(): Uint8Array } | undefined }): string {
  return Buffer.from(options.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
}

export function appendExpectation(options: AppendReq.Options): Expectation {
  if (options.hasRevision()) return { kind: 'revision', revision: BigInt(options.getRevision()) };
  return nonRevisionExpectation(options);
}

export function batchAppendExpectation(options: BatchAppendReq.Options): Expectation {
  if (options.hasStreamPosition()) return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
  return nonRevisionExpectation(options);
}

function nonRevisionExpectation(options: { hasNoStream(): boolean; hasStreamExists(): boolean }): Expectation {
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}
