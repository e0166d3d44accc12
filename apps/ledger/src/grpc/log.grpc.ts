import { Controller, OnModuleInit, UseFilters } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { Public } from '../core/entry-decorators';
import { LogController } from '../log/log.http';
import { GrpcCaller } from './grpc-caller';
import { GrpcErrorFilter } from './grpc-error.filter';

type Req = Record<string, any>;
const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

/** `numbers.ledger.v1.Log`: the HTTP /v1/log use cases run as they are (same rules, same answers). */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
export class LogGrpcController implements OnModuleInit {
  private log!: LogController;

  constructor(private readonly caller: GrpcCaller, private readonly modules: ModuleRef) {}

  onModuleInit(): void {
    this.log = this.modules.get(LogController, { strict: false });
  }

  @GrpcMethod('Log', 'GetCheckpoint')
  async checkpoint(_: Req, metadata: Metadata) {
    await this.caller.requester(metadata);
    return this.log.latest();
  }

  @GrpcMethod('Log', 'ListCheckpoints')
  async list(r: Req, metadata: Metadata) {
    await this.caller.requester(metadata);
    return this.log.checkpoints(text(r.limit), text(r.atMost));
  }

  @GrpcMethod('Log', 'SignCheckpoint')
  async sign(_: Req, metadata: Metadata) {
    return this.log.sign(await this.caller.requester(metadata));
  }

  @GrpcMethod('Log', 'GetPublicKey')
  publicKey() {
    return this.log.publicKey();
  }

  @GrpcMethod('Log', 'GetInclusionProof')
  async inclusion(r: Req, metadata: Metadata) {
    return this.log.inclusion(await this.caller.requester(metadata), r.position, text(r.treeSize));
  }

  @GrpcMethod('Log', 'GetConsistencyProof')
  async consistency(r: Req, metadata: Metadata) {
    await this.caller.requester(metadata);
    return this.log.consistency(text(r.from), text(r.to));
  }
}
