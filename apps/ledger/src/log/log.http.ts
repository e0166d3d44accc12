import { Controller, Get, Header, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { isAdmin } from '../accounts/account-access';
import { AccountTree } from '../accounts/account-tree';
import { Caller, Public } from '../core/entry-decorators';
import { wholeParam } from '../core/query-params';
import { asProblem, presentCheckpoint } from './log-proofs';
import { VerifiableLog } from './verifiable-log';

/**
 * The verifiable history (docs/verifiable-history.md). Any authenticated caller may read
 * checkpoints and consistency proofs (hashes only, no tenant's data); the public key needs no
 * key at all; an inclusion proof by position, and signing on demand, are for admins (other
 * callers get inclusion proofs for the events they may see through `history?proofs=`).
 */
@ApiTags('log')
@ApiBearerAuth()
@Controller('v1/log')
export class LogController {
  constructor(private readonly log: VerifiableLog, private readonly accounts: AccountTree) {}

  @ApiOperation({ summary: 'The latest signed checkpoint (C2SP tlog-checkpoint signed note); signs one when none is kept yet' })
  @Get('checkpoint')
  @Header('content-type', 'text/plain; charset=utf-8')
  async checkpoint() {
    return (await this.latest()).note;
  }

  /** The latest kept checkpoint; the first one is signed for whoever asks first. */
  async latest() {
    const latest = await this.log.store.latestCheckpoint();
    return presentCheckpoint(latest ?? await asProblem(() => this.log.signer.signNow()));
  }

  @ApiOperation({ summary: 'Kept checkpoints, largest tree first (limit, atMost: page down by tree size)' })
  @Get('checkpoints')
  async checkpoints(@Query('limit') limit?: string, @Query('atMost') atMost?: string) {
    const kept = await this.log.store.checkpoints({
      limit: limit === undefined ? 100 : Math.min(wholeParam('limit', limit, 1), 1000),
      atMost: atMost === undefined ? undefined : wholeParam('atMost', atMost),
    });
    return { data: kept.map(presentCheckpoint) };
  }

  @ApiOperation({ summary: 'Sign the current tree head now (admins)' })
  @Post('checkpoints')
  async sign(@Caller() caller: Requester) {
    this.adminOnly(caller, 'sign checkpoints');
    return presentCheckpoint(await asProblem(() => this.log.signer.signNow()));
  }

  @ApiOperation({ summary: 'The key that verifies checkpoints: C2SP verifier key and PEM SubjectPublicKeyInfo' })
  @Public()
  @Get('public-key')
  publicKey() {
    return { origin: this.log.signer.origin, algorithm: 'Ed25519', verifierKey: this.log.verifierKey, publicKeyPem: this.log.publicKeyPem };
  }

  @ApiOperation({ summary: 'Inclusion proof of the event at a log position in the tree of treeSize leaves (admins)' })
  @Get('proofs/inclusion')
  async inclusion(@Caller() caller: Requester, @Query('position') position?: string, @Query('treeSize') treeSize?: string) {
    this.adminOnly(caller, 'read inclusion proofs by position');
    if (typeof position !== 'string' || !/^\d{1,20}:\d{1,20}$/.test(position)) throw new LedgerError('validation_failed', 'position must be a log position "<major>:<minor>"');
    const size = wholeParam('treeSize', treeSize, 1);
    const leafIndex = (await this.log.store.leavesAt([position])).get(position);
    if (leafIndex === undefined) throw new LedgerError('not_found', `no event at ${position} in the log tree`);
    const proof = await asProblem(() => this.log.store.inclusionProof(leafIndex, size));
    const rootHash = await asProblem(() => this.log.store.rootAt(size));
    return { position, leafIndex, treeSize: size, rootHash: rootHash.toString('base64'), inclusionProof: proof.map((h) => h.toString('base64')) };
  }

  @ApiOperation({ summary: 'Consistency proof between the trees of from and to leaves (RFC 6962 PROOF)' })
  @Get('proofs/consistency')
  async consistency(@Query('from') from?: string, @Query('to') to?: string) {
    const first = wholeParam('from', from, 1);
    const second = wholeParam('to', to, 1);
    const proof = await asProblem(() => this.log.store.consistencyProof(first, second));
    return { from: first, to: second, consistencyProof: proof.map((h) => h.toString('base64')) };
  }

  private adminOnly(caller: Requester, what: string): void {
    if (!isAdmin(caller, this.accounts)) throw new LedgerError('unauthorized', `only admins may ${what}`);
  }
}
