import { Controller, Get, Header, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Requester } from '@ledger/domain/types';
import { Caller, Public } from '../core/entry-decorators';
import { LatestCheckpointQuery, ListCheckpointsQuery, PublicKeyQuery, SignCheckpointCommand } from './checkpoints/checkpoints';
import { ConsistencyProofQuery, InclusionProofQuery } from './proofs/proofs';

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
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @ApiOperation({ summary: 'The latest signed checkpoint (C2SP tlog-checkpoint signed note); signs one when none is kept yet' })
  @Get('checkpoint')
  @Header('content-type', 'text/plain; charset=utf-8')
  async checkpoint() {
    return (await this.queries.execute(new LatestCheckpointQuery())).note;
  }

  @ApiOperation({ summary: 'Kept checkpoints, largest tree first (limit, atMost: page down by tree size)' })
  @Get('checkpoints')
  checkpoints(@Query('limit') limit?: string, @Query('atMost') atMost?: string) {
    return this.queries.execute(new ListCheckpointsQuery(limit, atMost));
  }

  @ApiOperation({ summary: 'Sign the current tree head now (admins)' })
  @Post('checkpoints')
  sign(@Caller() caller: Requester) {
    return this.commands.execute(new SignCheckpointCommand(caller));
  }

  @ApiOperation({ summary: 'The key that verifies checkpoints: C2SP verifier key and PEM SubjectPublicKeyInfo' })
  @Public()
  @Get('public-key')
  publicKey() {
    return this.queries.execute(new PublicKeyQuery());
  }

  @ApiOperation({ summary: 'Inclusion proof of the event at a log position in the tree of treeSize leaves (admins)' })
  @Get('proofs/inclusion')
  inclusion(@Caller() caller: Requester, @Query('position') position?: string, @Query('treeSize') treeSize?: string) {
    return this.queries.execute(new InclusionProofQuery(caller, position, treeSize));
  }

  @ApiOperation({ summary: 'Consistency proof between the trees of from and to leaves (RFC 6962 PROOF)' })
  @Get('proofs/consistency')
  consistency(@Query('from') from?: string, @Query('to') to?: string) {
    return this.queries.execute(new ConsistencyProofQuery(from, to));
  }
}
