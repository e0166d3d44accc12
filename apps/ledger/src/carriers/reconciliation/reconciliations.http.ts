import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString } from 'class-validator';
import { INTEGRATION_MODULES, isIntegrationModule, type IntegrationModule } from '../../../../../libs/carriers/src';
import { LedgerError } from '../../../../../libs/domain/src/errors';
import { Requester } from '../../../../../libs/domain/src/types';
import { Projector } from '../../../../../libs/projections/src/projector';
import { sendPosition } from '../../http/position';
import { LedgerRuntime } from '../../ledger-runtime';
import { FIXES, reconcileCarrier, type ReconciliationFix } from './reconcile-carrier';

export class ReconcileCarriersDto {
  @ApiPropertyOptional({ enum: INTEGRATION_MODULES, description: 'One module (default: every enabled integration module with settings).' })
  @IsOptional() @IsString() @IsIn([...INTEGRATION_MODULES]) module?: string;

  @ApiPropertyOptional({ type: [String], enum: FIXES, description: 'Listed fixes to carry out; none by default (report only).' })
  @IsOptional() @IsArray() @ArrayMaxSize(FIXES.length) @IsIn([...FIXES], { each: true }) fix?: string[];
}

const VIEW = 'id, module, scope, status, counts, findings, fixes, started_at AS "startedAt", completed_at AS "completedAt"';

/** Carrier reconciliation (docs/carriers.md): what each carrier lists on the account against the ledger. */
@ApiTags('carriers')
@ApiBearerAuth()
@Controller('v1/carrier-reconciliations')
export class ReconciliationsController {
  constructor(private readonly runtime: LedgerRuntime, private readonly projector: Projector) {}

  @Post()
  @HttpCode(201)
  async run(@Body() dto: ReconcileCarriersDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    systemOnly(req.requester);
    const modules = dto.module ? [dto.module as IntegrationModule] : await this.configuredModules();
    const reports = [];
    let position: string | null = null;
    for (const module of modules) {
      const report = await reconcileCarrier(this.runtime, module, { fix: (dto.fix ?? []) as ReconciliationFix[] });
      position = report.position;
      reports.push(report);
    }
    sendPosition(reply, position, this.projector);
    return { data: reports };
  }

  @Get()
  async list(@Req() req: any) {
    systemOnly(req.requester);
    const r = await this.runtime.stores.sql.query(
      `SELECT id, module, scope, status, counts, started_at AS "startedAt", completed_at AS "completedAt"
         FROM ${this.projector.schema}.carrier_reconciliations ORDER BY started_at DESC LIMIT 100`,
    );
    return { data: r.rows };
  }

  @Get(':id')
  async get(@Param('id') id: string, @Req() req: any) {
    systemOnly(req.requester);
    const r = await this.runtime.stores.sql.query(`SELECT ${VIEW} FROM ${this.projector.schema}.carrier_reconciliations WHERE id = $1`, [id]);
    if (!r.rows[0]) throw new LedgerError('not_found', `no carrier reconciliation ${id}`);
    return r.rows[0];
  }

  private async configuredModules(): Promise<IntegrationModule[]> {
    const enabled = (await this.runtime.config.config()).carrierModules.filter(isIntegrationModule);
    const configured = await Promise.all(enabled.map(async (m) => ((await this.runtime.carriers.inputFor(m, null)) ? m : null)));
    return configured.filter((m): m is IntegrationModule => m !== null);
  }
}

function systemOnly(requester: Requester): void {
  if (!requester.isSystem) throw new LedgerError('unauthorized', 'carrier reconciliation is for the operator');
}
