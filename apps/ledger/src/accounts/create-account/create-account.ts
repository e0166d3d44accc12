import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { RequestContext } from '../../core/request-context';
import { Positioned } from '../../core/positioned';
import { isAdmin, requireAccountAccess } from '../account-access';
import { AccountResource, presentAccount } from '../account-resource';
import { AccountTree } from '../account-tree';
import { AccountWriter } from '../account-writer';

export class CreateAccountDto {
  @ApiPropertyOptional({ type: String, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$', example: 'acme', description: 'Default: a random UUID.' })
  @IsOptional() @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, { message: 'id must be 1-128 letters, digits, _ . -' }) id?: string;
  @ApiProperty({ type: String, maxLength: 200, example: 'Acme Inc.' })
  @IsString() @MaxLength(200) name!: string;
  @ApiPropertyOptional({ type: String, maxLength: 128, example: 'reseller-1', description: 'Default: the caller\'s account.' })
  @IsOptional() @IsString() @MaxLength(128) parentId?: string;
  @ApiPropertyOptional({ type: Boolean, default: false })
  @IsOptional() @IsBoolean() reseller?: boolean;
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Only the system may create super admins.' })
  @IsOptional() @IsBoolean() superAdmin?: boolean;
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'The account may add numbers to the ledger.' })
  @IsOptional() @IsBoolean() allowNumberAdditions?: boolean;
  @ApiPropertyOptional({ type: Number, minimum: 0, description: 'Most billable numbers the account may hold at once (402 service_restriction above); set by an admin or a reseller above it.' })
  @IsOptional() @IsInt() @Min(0) maxBillableNumbers?: number;
}

export class CreateAccountCommand extends Command<Positioned<AccountResource>> {
  constructor(readonly input: CreateAccountDto, readonly ctx: RequestContext) {
    super();
  }
}

@CommandHandler(CreateAccountCommand)
export class CreateAccountHandler implements ICommandHandler<CreateAccountCommand, Positioned<AccountResource>> {
  constructor(private readonly tree: AccountTree, private readonly writer: AccountWriter) {}

  async execute({ input: dto, ctx }: CreateAccountCommand): Promise<Positioned<AccountResource>> {
    const { requester } = ctx;
    const parentId = dto.parentId ?? requester.accountId;
    if (!this.tree.get(parentId)) throw new LedgerError('assign_failure', `parent account ${parentId} does not exist`);
    requireAccountAccess(this.tree, requester, parentId, 'create accounts under');
    if (dto.superAdmin && !requester.isSystem) throw new LedgerError('unauthorized', 'only the system may create super admins');
    this.mayGrant(requester, dto);
    const id = dto.id ?? randomUUID();
    const position = await this.writer.create(
      {
        id, name: dto.name, parentId, reseller: dto.reseller ?? false, superAdmin: dto.superAdmin ?? false,
        allowNumberAdditions: dto.allowNumberAdditions ?? false,
        maxBillableNumbers: dto.maxBillableNumbers ?? null,
      },
      ctx,
    );
    return { answer: presentAccount(this.tree, id), position };
  }

  /** An account cannot give a sub-account rights it does not have itself. */
  private mayGrant(requester: Requester, dto: CreateAccountDto): void {
    if (isAdmin(requester, this.tree)) return;
    const own = this.tree.get(requester.accountId);
    if (dto.reseller && !own?.reseller) throw new LedgerError('unauthorized', 'only resellers may create resellers');
    if (dto.allowNumberAdditions && !own?.allowNumberAdditions) {
      throw new LedgerError('unauthorized', 'only accounts allowed to add numbers may pass that right on');
    }
  }
}
