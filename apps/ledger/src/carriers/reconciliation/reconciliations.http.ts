import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { INTEGRATION_MODULES } from '@ledger/carriers';
import { Projector } from '@ledger/projections/projector';
import { sendPosition } from '../../core/position';
import { CarrierReconciliations } from './carrier-reconciliations';
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
@ApiTags('carriers')
@ApiBearerAuth()
@Controller('v1/carrier-reconciliations')
export class ReconciliationsController {
  constructor(private readonly reconciliations: CarrierReconciliations, private readonly projector: Projector) {}

  @Post()
  @HttpCode(201)
  async run(@Body() dto: ReconcileCarriersDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    const request = { accountId: dto.accountId, module: dto.module, fix: dto.fix as ReconciliationFix[] | undefined };
    const { runs, position } = await this.reconciliations.start(request, req.requester, dto.background === true);
    if (dto.background) reply.code?.(202);
    sendPosition(reply, position, this.projector);
    return { data: runs };
  }

  @Get()
  async list(@Req() req: any) {
    return { data: await this.reconciliations.list(req.requester) };
  }

  @Get(':id')
  async get(@Param('id') id: string, @Req() req: any) {
    return this.reconciliations.get(id, req.requester);
  }
}
