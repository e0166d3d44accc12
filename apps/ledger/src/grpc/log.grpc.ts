import { Controller, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { Public } from '../core/entry-decorators';
import { LatestCheckpointQuery, ListCheckpointsQuery, PublicKeyQuery, SignCheckpointCommand } from '../log/checkpoints/checkpoints';
import { ConsistencyProofQuery, InclusionProofQuery } from '../log/proofs/proofs';
import { GrpcCaller } from './grpc-caller';
import { GrpcErrorFilter } from './grpc-error.filter';

interface LogRequest { limit?: number; atMost?: number; position?: string; treeSize?: number; from?: number; to?: number }

/** The query string's text of a number field, so both entries check it by the same rule. */
const text = (v: number | undefined) => (v === undefined || v === null ? undefined : String(v));

/** `numbers.ledger.v1.Log`: the /v1/log use cases on the CommandBus / QueryBus (same rules, same answers). */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
export class LogGrpcController {
  constructor(private readonly caller: GrpcCaller, private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @GrpcMethod('Log', 'GetCheckpoint')
  async checkpoint(_: LogRequest, metadata: Metadata) {
    await this.caller.requester(metadata);
    return this.queries.execute(new LatestCheckpointQuery());
  }

  @GrpcMethod('Log', 'ListCheckpoints')
  async list(r: LogRequest, metadata: Metadata) {
    await this.caller.requester(metadata);
    return this.queries.execute(new ListCheckpointsQuery(text(r.limit), text(r.atMost)));
  }

  @GrpcMethod('Log', 'SignCheckpoint')
  async sign(_: LogRequest, metadata: Metadata) {
    return this.commands.execute(new SignCheckpointCommand(await this.caller.requester(metadata)));
  }

  @GrpcMethod('Log', 'GetPublicKey')
  publicKey() {
    return this.queries.execute(new PublicKeyQuery());
  }

  @GrpcMethod('Log', 'GetInclusionProof')
  async inclusion(r: LogRequest, metadata: Metadata) {
    return this.queries.execute(new InclusionProofQuery(await this.caller.requester(metadata), r.position, text(r.treeSize)));
  }

  @GrpcMethod('Log', 'GetConsistencyProof')
  async consistency(r: LogRequest, metadata: Metadata) {
    await this.caller.requester(metadata);
    return this.queries.execute(new ConsistencyProofQuery(text(r.from), text(r.to)));
  }
}
