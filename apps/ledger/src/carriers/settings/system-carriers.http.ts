import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SYSTEM_SCOPE } from '@ledger/domain/carrier-settings/events';
import { Requester } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { Caller } from '../../core/entry-decorators';
import { sendPosition } from '../../core/position';
import { RequestContext } from '../../core/request-context';
import { Context } from '../../core/request-context.decorator';
import { CarrierSettingsDto } from './carrier-settings.dto';
import { ConfigureCarrierCommand } from './configure-carrier/configure-carrier';
import { CarrierModuleQuery, SystemCarriersQuery } from './read-carrier-settings/read-carrier-settings';
import { ShredCarrierCredentialsCommand } from './shred-credentials/shred-credentials';

/**
 * The operator's carrier settings (system only). Which modules are enabled is
 * the number-manager configuration's `carrierModules`.
 */
@ApiTags('config')
@ApiBearerAuth()
@Controller('v1/config/carriers')
export class SystemCarriersController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus, private readonly projector: Projector) {}

  @Get()
  list(@Caller() requester: Requester) {
    return this.queries.execute(new SystemCarriersQuery(requester));
  }

  /** Removes every credential of the system scope by destroying its data keys (crypto-shredding). */
  @Delete('credentials')
  @HttpCode(204)
  async shred(@Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    sendPosition(reply, await this.commands.execute(new ShredCarrierCredentialsCommand(SYSTEM_SCOPE, ctx)), this.projector);
  }

  @Get(':module')
  get(@Param('module') rawModule: string, @Caller() requester: Requester) {
    return this.queries.execute(new CarrierModuleQuery(SYSTEM_SCOPE, rawModule, requester));
  }

  @Put(':module')
  @HttpCode(200)
  async put(@Param('module') rawModule: string, @Body() dto: CarrierSettingsDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const { answer, position } = await this.commands.execute(new ConfigureCarrierCommand(SYSTEM_SCOPE, rawModule, dto, ctx));
    sendPosition(reply, position, this.projector);
    return answer;
  }
}
