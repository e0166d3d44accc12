import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { SqlClient } from '@ledger/sql/sql-client';
import { AccountTree } from '../accounts/account-tree';
import { awaitMinPosition, sendPosition } from '../core/position';
import { actsFor, isAdmin, requireAccountAccess } from '../accounts/account-access';
import { tenantView } from '../accounts/tenant-view';
import { SQL } from '../core/tokens';
import { AuditRunner } from './audit-runner';
import { auditInView, AuditView, readAudit } from './audit-view';

export class StartAuditDto {
  @ApiProperty({ type: String, maxLength: 128, example: 'acme', description: 'Account audited.' })
  @IsString() @MaxLength(128) accountId!: string;
  @ApiProperty({ enum: ['customer', 'site'], example: 'customer' })
  @IsIn(['customer', 'site']) level!: 'customer' | 'site';
  @ApiPropertyOptional({ type: [String], maxItems: 1000, description: 'Sites to audit (level site).' })
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) @MaxLength(128, { each: true }) siteIds?: string[];
}

export class GetAuditDto {
  /** Report lines per kind (default 1000). */
  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 100000, default: 1000, description: 'Report lines per kind.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100000) limit?: number;
  @ApiPropertyOptional({ type: String, description: 'Wait until the read models have reached this log position (from a write\'s position header).' })
  @IsOptional() @IsString() minPosition?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audits')
export class AuditsController {
  constructor(
    private readonly audits: AuditRunner,
    private readonly tree: AccountTree,
    private readonly projector: Projector,
    @Inject(SQL) private readonly sql: SqlClient,
  ) {}

  /** SPEC 7: 201 with the report when the audit finished; 202 while it runs in the background. */
  @Post()
  async start(@Body() dto: StartAuditDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    this.mayAudit(req.requester, dto.accountId);
    const started = await this.audits.start(dto, req.requester, req.headers?.['x-request-id']);
    await this.projector.settle(started.position, undefined, ['audits']);
    sendPosition(reply, started.position, this.projector);
    const view = auditInView(await this.view(started.id, 1000), tenantView(req.requester, this.tree));
    if (!started.finished) answerAccepted(reply);
    return view;
  }

  @Get(':id')
  async get(@Param('id') id: string, @Query() q: GetAuditDto, @Req() req: any) {
    await awaitMinPosition(this.projector, q.minPosition, ['audits']);
    const view = await this.view(id, q.limit ?? 1000);
    // another tenant's audit does not exist for the caller (its account id is not theirs to learn)
    if (!actsFor(req.requester, this.tree, view.accountId)) throw new LedgerError('not_found', `audit ${id} does not exist`);
    return auditInView(view, tenantView(req.requester, this.tree));
  }

  private async view(id: string, limit: number): Promise<AuditView> {
    const view = await readAudit(this.sql, this.projector.schema, id, limit);
    if (!view) throw new LedgerError('not_found', `audit ${id} does not exist`);
    return view;
  }

  /** Audits change numbers with the ledger's own authority: admins, and resellers above the account, may run them. */
  private mayAudit(requester: Requester, accountId: string): void {
    requireAccountAccess(this.tree, requester, accountId);
    if (isAdmin(requester, this.tree)) return;
    const me = this.tree.get(requester.accountId);
    if (me?.reseller && requester.accountId !== accountId) return;
    throw new LedgerError('unauthorized', 'audits are run by admins and by the resellers above the account');
  }
}

/**
 * 202 for an audit still running. Nest sets the route's fixed status on the
 * reply after the handler returns, so this reply keeps the status set here.
 */
function answerAccepted(reply: any): void {
  reply.status(202);
  reply.status = () => reply;
}
