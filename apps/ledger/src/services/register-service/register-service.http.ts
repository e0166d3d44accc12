import { Body, Controller, Delete, HttpCode, Inject, Param, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';
import { normalizeNumber } from '@ledger/domain';
import { LedgerError } from '@ledger/domain/errors';
import { SERVICE_TYPES, ServiceType } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { AccountTree } from '../../accounts/account-tree';
import { sendPosition } from '../../core/position';
import { NumberCommandGateway } from '../../numbers/command-runner/number-command.gateway';
import { requireAccountAccess } from '../../accounts/account-access';
import { SqlClient } from '@ledger/sql/sql-client';
import { SQL } from '../../core/tokens';
import { ServiceKey, ServiceRegistry } from '../service-registry';
import { checkServiceNumbers } from './service-tenancy';

export class RegisterServiceDto {
  @ApiPropertyOptional({ type: String, maxLength: 200, example: 'Front desk' })
  @IsOptional() @IsString() @MaxLength(200) name?: string;
  @ApiProperty({ type: [String], maxItems: 1000, example: ['+14155550100'], description: 'Every number the service uses (replaces the previous list).' })
  @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) @MaxLength(32, { each: true }) numbers!: string[];
}

const SERVICE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;

/** Checks the path of a service resource; bad input is a 400 that changes nothing. */
export function serviceKey(accountId: string, type: string, serviceId: string): ServiceKey {
  if (!(SERVICE_TYPES as readonly string[]).includes(type)) {
    throw new LedgerError('validation_failed', `unknown service type ${type} (known: ${SERVICE_TYPES.join(', ')})`, { field: 'type' });
  }
  if (!SERVICE_ID.test(serviceId)) throw new LedgerError('validation_failed', 'serviceId must be 1-128 letters, digits, _ . : @ -', { field: 'serviceId' });
  return { accountId, type: type as ServiceType, serviceId };
}

@ApiTags('usage')
@ApiBearerAuth()
@Controller('v1/accounts/:id/services/:type/:serviceId')
export class RegisterServiceController {
  constructor(
    private readonly registry: ServiceRegistry,
    private readonly tree: AccountTree,
    private readonly numbers: NumberCommandGateway,
    private readonly projector: Projector,
    @Inject(SQL) private readonly sql: SqlClient,
  ) {}

  /** Registers the service or replaces its name and numbers; numbers' usage follows. */
  @Put()
  @HttpCode(200)
  async register(
    @Param('id') id: string, @Param('type') type: string, @Param('serviceId') serviceId: string,
    @Body() dto: RegisterServiceDto, @Req() req: any, @Res({ passthrough: true }) reply: any,
  ) {
    const key = serviceKey(id, type, serviceId);
    requireAccountAccess(this.tree, req.requester, id);
    const numbers = dto.numbers.map((n) => normalizeNumber(n));
    await checkServiceNumbers(this.sql, this.projector.schema, this.tree, req.requester, id, numbers);
    const { service, position } = await this.registry.register(key, dto.name ?? null, numbers, this.numbers.metaFrom(req));
    sendPosition(reply, position, this.projector);
    return presentService(service);
  }

  @Delete()
  @HttpCode(204)
  async remove(@Param('id') id: string, @Param('type') type: string, @Param('serviceId') serviceId: string, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    const key = serviceKey(id, type, serviceId);
    requireAccountAccess(this.tree, req.requester, id);
    sendPosition(reply, await this.registry.remove(key, this.numbers.metaFrom(req)), this.projector);
  }
}

export function presentService(s: { accountId: string; type: string; serviceId: string; name: string | null; numbers: string[]; updatedAt: string | null }) {
  return { accountId: s.accountId, type: s.type, id: s.serviceId, name: s.name, numbers: s.numbers, updatedAt: s.updatedAt };
}
