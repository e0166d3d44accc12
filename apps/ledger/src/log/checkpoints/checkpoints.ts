import { Command, CommandHandler, ICommandHandler, IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Requester } from '@ledger/domain/types';
import { LogReader } from '../log-reader';
import { wholeParam } from '../../core/query-params';
import { asProblem, presentCheckpoint } from '../log-proofs';

export type CheckpointResource = ReturnType<typeof presentCheckpoint>;

/** The latest kept checkpoint; the first one is signed for whoever asks first. */
export class LatestCheckpointQuery extends Query<CheckpointResource> {}

/** Kept checkpoints, largest tree first (`limit`, `atMost`: page down by tree size), as given in the query string. */
export class ListCheckpointsQuery extends Query<{ data: CheckpointResource[] }> {
  constructor(readonly limit?: string, readonly atMost?: string) {
    super();
  }
}

/** Signs the current tree head now (admins). */
export class SignCheckpointCommand extends Command<CheckpointResource> {
  constructor(readonly requester: Requester) {
    super();
  }
}

export interface PublicKey { origin: string; algorithm: 'Ed25519'; verifierKey: string; publicKeyPem: string }

/** The key that verifies checkpoints: C2SP verifier key and PEM SubjectPublicKeyInfo. */
export class PublicKeyQuery extends Query<PublicKey> {}

@QueryHandler(LatestCheckpointQuery)
export class LatestCheckpointHandler extends LogReader implements IQueryHandler<LatestCheckpointQuery, CheckpointResource> {
  async execute(): Promise<CheckpointResource> {
    const latest = await this.log.store.latestCheckpoint();
    return presentCheckpoint(latest ?? await asProblem(() => this.log.signer.signNow()));
  }
}

@QueryHandler(ListCheckpointsQuery)
export class ListCheckpointsHandler extends LogReader implements IQueryHandler<ListCheckpointsQuery, { data: CheckpointResource[] }> {
  async execute({ limit, atMost }: ListCheckpointsQuery): Promise<{ data: CheckpointResource[] }> {
    const kept = await this.log.store.checkpoints({
      limit: limit === undefined ? 100 : Math.min(wholeParam('limit', limit, 1), 1000),
      atMost: atMost === undefined ? undefined : wholeParam('atMost', atMost),
    });
    return { data: kept.map(presentCheckpoint) };
  }
}

@CommandHandler(SignCheckpointCommand)
export class SignCheckpointHandler extends LogReader implements ICommandHandler<SignCheckpointCommand, CheckpointResource> {
  async execute({ requester }: SignCheckpointCommand): Promise<CheckpointResource> {
    this.adminOnly(requester, 'sign checkpoints');
    return presentCheckpoint(await asProblem(() => this.log.signer.signNow()));
  }
}

@QueryHandler(PublicKeyQuery)
export class PublicKeyHandler extends LogReader implements IQueryHandler<PublicKeyQuery, PublicKey> {
  execute(): Promise<PublicKey> {
    return Promise.resolve({ origin: this.log.signer.origin, algorithm: 'Ed25519', verifierKey: this.log.verifierKey, publicKeyPem: this.log.publicKeyPem });
  }
}
