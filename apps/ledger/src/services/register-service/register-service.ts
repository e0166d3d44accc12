import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';
import { normalizeNumber } from '@ledger/domain';
import { InventoryQueries } from '@ledger/projections/inventory/queries';
import { Projector } from '@ledger/projections/projector';
import { SqlClient } from '@ledger/sql/sql-client';
import { requireAccountAccess } from '../../accounts/account-access';
import { AccountTree } from '../../accounts/account-tree';
import { Positioned } from '../../core/positioned';
import { RequestContext } from '../../core/request-context';
import { SQL } from '../../core/tokens';
import { ServiceRegistry } from '../service-registry';
import { presentService, serviceKey, ServiceResource } from '../service-resource';
import { checkServiceNumbers } from './service-tenancy';
import { refuseFullNumbers } from './usage-capacity';

export class RegisterServiceDto {
  @ApiPropertyOptional({ type: String, maxLength: 200, example: 'Front desk' })
  @IsOptional() @IsString() @MaxLength(200) name?: string;
  @ApiProperty({ type: [String], maxItems: 1000, example: ['+14155550100'], description: 'Every number the service uses (replaces the previous list).' })
  @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) @MaxLength(32, { each: true }) numbers!: string[];
}

/** Registers the service or replaces its name and numbers; numbers' usage follows. */
export class RegisterServiceCommand extends Command<Positioned<ServiceResource>> {
  constructor(
    readonly accountId: string, readonly type: string, readonly serviceId: string,
    readonly input: RegisterServiceDto, readonly ctx: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(RegisterServiceCommand)
export class RegisterServiceHandler implements ICommandHandler<RegisterServiceCommand, Positioned<ServiceResource>> {
  constructor(
    private readonly registry: ServiceRegistry,
    private readonly tree: AccountTree,
    private readonly projector: Projector,
    @Inject(SQL) private readonly sql: SqlClient,
  ) {}

  async execute({ accountId, type, serviceId, input, ctx }: RegisterServiceCommand): Promise<Positioned<ServiceResource>> {
    const key = serviceKey(accountId, type, serviceId);
    requireAccountAccess(this.tree, ctx.requester, accountId);
    const numbers = input.numbers.map((n) => normalizeNumber(n));
    const usage = { type, id: serviceId, accountId };
    const rows = numbers.length === 0 ? [] : await new InventoryQueries(this.sql, this.projector.schema).listed(numbers, usage);
    checkServiceNumbers(this.tree, ctx.requester, accountId, rows);
    refuseFullNumbers(rows);
    const { service, position } = await this.registry.register(key, input.name ?? null, numbers, ctx);
    return { answer: presentService(service), position: position ?? this.projector.checkpoint };
  }
}
