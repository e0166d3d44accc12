import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { INTEGRATION_MODULES } from '@ledger/carriers';
import { Projector } from '@ledger/projections/projector';
import { Positioned } from '../../core/positioned';
import { RequestContext } from '../../core/request-context';
import { CarrierReconciliations, RunView } from './carrier-reconciliations';
import { FIXES, type ReconciliationFix } from './reconcile-carrier';

export class ReconcileCarriersDto {
  @ApiPropertyOptional({ type: String, maxLength: 128, description: 'A reseller: reconcile its own carrier accounts (default: the system\'s).' })
  @IsOptional() @IsString() @MaxLength(128) accountId?: string;

  @ApiPropertyOptional({ enum: INTEGRATION_MODULES, description: 'One module (default: every enabled integration module with settings of the scope).' })
  @IsOptional() @IsString() @IsIn([...INTEGRATION_MODULES]) module?: string;

  @ApiPropertyOptional({ type: [String], enum: FIXES, description: 'Listed fixes to carry out; none by default (report only).' })
  @IsOptional() @IsArray() @ArrayMaxSize(FIXES.length) @IsIn([...FIXES], { each: true }) fix?: string[];

  @ApiPropertyOptional({ type: Boolean, description: 'Answer 202 at once with the runs and their progress; GET them later.' })
  @IsOptional() @IsBoolean() background?: boolean;
}

/** Carrier reconciliation (docs/carriers.md): what each carrier lists on the account against the ledger. */
export class ReconcileCarriersCommand extends Command<Positioned<RunView[]>> {
  constructor(readonly input: ReconcileCarriersDto, readonly ctx: RequestContext) {
    super();
  }
}

@CommandHandler(ReconcileCarriersCommand)
export class ReconcileCarriersHandler implements ICommandHandler<ReconcileCarriersCommand, Positioned<RunView[]>> {
  constructor(private readonly reconciliations: CarrierReconciliations, private readonly projector: Projector) {}

  async execute({ input, ctx }: ReconcileCarriersCommand): Promise<Positioned<RunView[]>> {
    const request = { accountId: input.accountId, module: input.module, fix: input.fix as ReconciliationFix[] | undefined };
    const { runs, position } = await this.reconciliations.start(request, ctx.requester, input.background === true);
    return { answer: runs, position: position ?? this.projector.checkpoint };
  }
}
