import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { RequestContext } from '../../core/request-context';
import { Positioned } from '../../core/positioned';
import { requireAccountAccess } from '../account-access';
import { AccountTree } from '../account-tree';
import { AccountWriter } from '../account-writer';

export class IssueKeyDto {
  @ApiPropertyOptional({ type: String, maxLength: 200, example: 'billing integration', description: 'A label for the key.' })
  @IsOptional() @IsString() @MaxLength(200) name?: string;
}

export interface IssuedKey { accountId: string; keyId: string; name: string | null; key: string }

export class IssueKeyCommand extends Command<Positioned<IssuedKey>> {
  constructor(readonly accountId: string, readonly input: IssueKeyDto, readonly ctx: RequestContext) {
    super();
  }
}

@CommandHandler(IssueKeyCommand)
export class IssueKeyHandler implements ICommandHandler<IssueKeyCommand, Positioned<IssuedKey>> {
  constructor(private readonly tree: AccountTree, private readonly writer: AccountWriter) {}

  async execute({ accountId, input, ctx }: IssueKeyCommand): Promise<Positioned<IssuedKey>> {
    requireAccountAccess(this.tree, ctx.requester, accountId);
    const issued = await this.writer.issueKey(accountId, input.name ?? null, ctx);
    return {
      answer: { accountId, keyId: issued.keyId, name: input.name ?? null, key: issued.key },
      position: issued.position,
    };
  }
}
