import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { SqlClient } from '@ledger/sql/sql-client';
import { isAdmin, requireAccountAccess } from '../../accounts/account-access';
import { AccountTree } from '../../accounts/account-tree';
import { tenantView } from '../../accounts/tenant-view';
import { Positioned } from '../../core/positioned';
import { RequestContext } from '../../core/request-context';
import { SQL } from '../../core/tokens';
import { AuditRunner } from '../audit-runner';
import { auditInView, AuditView } from '../audit-view';
import { auditById } from '../get-audit/get-audit';

export class StartAuditDto {
  @ApiProperty({ type: String, maxLength: 128, example: 'acme', description: 'Account audited.' })
  @IsString() @MaxLength(128) accountId!: string;
  @ApiProperty({ enum: ['customer', 'site'], example: 'customer' })
  @IsIn(['customer', 'site']) level!: 'customer' | 'site';
  @ApiPropertyOptional({ type: [String], maxItems: 1000, description: 'Sites to audit (level site).' })
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) @MaxLength(128, { each: true }) siteIds?: string[];
}

/** The audit as the caller sees it, and whether it finished (else it runs on in the background). */
export interface StartedAudit { view: AuditView; finished: boolean }

/** SPEC 7: runs the audit; small ones finish before the answer, large ones go on in the background. */
export class StartAuditCommand extends Command<Positioned<StartedAudit>> {
  constructor(readonly input: StartAuditDto, readonly ctx: RequestContext) {
    super();
  }
}

@CommandHandler(StartAuditCommand)
export class StartAuditHandler implements ICommandHandler<StartAuditCommand, Positioned<StartedAudit>> {
  constructor(
    private readonly audits: AuditRunner,
    private readonly tree: AccountTree,
    private readonly projector: Projector,
    @Inject(SQL) private readonly sql: SqlClient,
  ) {}

  async execute({ input, ctx }: StartAuditCommand): Promise<Positioned<StartedAudit>> {
    this.mayAudit(ctx.requester, input.accountId);
    const started = await this.audits.start(input, ctx.requester, ctx.correlationId);
    await this.projector.settle(started.position, undefined, ['audits']);
    const view = auditInView(await auditById(this.sql, this.projector.schema, started.id, 1000), tenantView(ctx.requester, this.tree));
    return { answer: { view, finished: started.finished }, position: started.position };
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
