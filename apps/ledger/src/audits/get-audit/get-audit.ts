import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { SqlClient, SqlExecutor } from '@ledger/sql/sql-client';
import { actsFor } from '../../accounts/account-access';
import { AccountTree } from '../../accounts/account-tree';
import { tenantView } from '../../accounts/tenant-view';
import { awaitMinPosition, MIN_POSITION_DOC } from '../../core/position';
import { SQL } from '../../core/tokens';
import { auditInView, AuditView, readAudit } from '../audit-view';

export class GetAuditDto {
  /** Report lines per kind (default 1000). */
  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 100000, default: 1000, description: 'Report lines per kind.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100000) limit?: number;
  @ApiPropertyOptional({ type: String, description: MIN_POSITION_DOC })
  @IsOptional() @IsString() minPosition?: string;
}

export class GetAuditQuery extends Query<AuditView> {
  constructor(readonly id: string, readonly input: GetAuditDto, readonly requester: Requester) {
    super();
  }
}

@QueryHandler(GetAuditQuery)
export class GetAuditHandler implements IQueryHandler<GetAuditQuery, AuditView> {
  constructor(private readonly tree: AccountTree, private readonly projector: Projector, @Inject(SQL) private readonly sql: SqlClient) {}

  async execute({ id, input, requester }: GetAuditQuery): Promise<AuditView> {
    await awaitMinPosition(this.projector, input.minPosition, ['audits']);
    const view = await auditById(this.sql, this.projector.schema, id, input.limit ?? 1000);
    // another tenant's audit does not exist for the caller (its account id is not theirs to learn)
    if (!actsFor(requester, this.tree, view.accountId)) throw new LedgerError('not_found', `audit ${id} does not exist`);
    return auditInView(view, tenantView(requester, this.tree));
  }
}

/** The audit read model's view of one audit; 404 when there is none. */
export async function auditById(sql: SqlExecutor, schema: string, id: string, limit: number): Promise<AuditView> {
  const view = await readAudit(sql, schema, id, limit);
  if (!view) throw new LedgerError('not_found', `audit ${id} does not exist`);
  return view;
}
