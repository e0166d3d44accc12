import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Requester } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { Caller } from '../../core/entry-decorators';
import { sendPosition } from '../../core/position';
import { RequestContext } from '../../core/request-context';
import { Context } from '../../core/request-context.decorator';
import { CarrierSettingsDto, EnabledModulesDto } from './carrier-settings.dto';
import { ConfigureCarrierCommand } from './configure-carrier/configure-carrier';
import { EnableCarrierModulesCommand } from './enable-modules/enable-modules';
import { CarrierModuleQuery, EffectiveCarriersQuery } from './read-carrier-settings/read-carrier-settings';
import { ShredCarrierCredentialsCommand } from './shred-credentials/shred-credentials';

/**
 * A reseller's carrier settings (SPEC 4: per system and per reseller), kept by
 * the reseller itself or an account above it (admins included).
 */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1/accounts/:id/carriers')
export class ResellerCarriersController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus, private readonly projector: Projector) {}

  /** What the account's searches and orders use: enabled modules and the merged settings. */
  @Get()
  effective(@Param('id') id: string, @Caller() requester: Requester) {
    return this.queries.execute(new EffectiveCarriersQuery(id, requester));
  }

  @Put()
  @HttpCode(200)
  async enable(@Param('id') id: string, @Body() dto: EnabledModulesDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const { answer, position } = await this.commands.execute(new EnableCarrierModulesCommand(id, dto.enabledModules, ctx));
    sendPosition(reply, position, this.projector);
    return answer;
  }

  /** Removes every credential of the reseller's scope by destroying its data keys (crypto-shredding). */
  @Delete('credentials')
  @HttpCode(204)
  async shred(@Param('id') id: string, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    sendPosition(reply, await this.commands.execute(new ShredCarrierCredentialsCommand(id, ctx)), this.projector);
  }

  @Get(':module')
  get(@Param('id') id: string, @Param('module') rawModule: string, @Caller() requester: Requester) {
    return this.queries.execute(new CarrierModuleQuery(id, rawModule, requester));
  }

  @Put(':module')
  @HttpCode(200)
  async put(
    @Param('id') id: string, @Param('module') rawModule: string, @Body() dto: CarrierSettingsDto,
    @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { answer, position } = await this.commands.execute(new ConfigureCarrierCommand(id, rawModule, dto, ctx));
    sendPosition(reply, position, this.projector);
    return answer;
  }
}
