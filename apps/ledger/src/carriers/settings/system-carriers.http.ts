import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { isIntegrationModule } from '@ledger/carriers';
import { LedgerError } from '@ledger/domain/errors';
import { Projector } from '@ledger/projections/projector';
import { NumberManagerConfigStore } from '../../config/number-manager-config.store';
import type { FastifyReply } from 'fastify';
import { Requester } from '@ledger/domain/types';
import { RequestContext } from '../../core/request-context';
import { sendPosition } from '../../core/position';
import { Context } from '../../core/request-context.decorator';
import { eventMetadata } from '../../core/request-context';
import { CarrierSettingsStore } from '../carrier-settings.store';
import { SYSTEM_SCOPE } from '@ledger/domain/carrier-settings/events';
import { CarrierSettingsDto } from './carrier-settings.dto';
import { moduleFromPath, settingsInput } from './carrier-settings.input';
import { moduleView, scopeView } from './carrier-settings.view';

/**
 * The operator's carrier settings (system only). Which modules are enabled is
 * the number-manager configuration's `carrierModules`.
 */
@ApiTags('config')
@ApiBearerAuth()
@Controller('v1/config/carriers')
export class SystemCarriersController {
  constructor(
    private readonly store: CarrierSettingsStore,
    private readonly config: NumberManagerConfigStore,
    private readonly projector: Projector,
  ) {}

  @Get()
  async list(@Context() ctx: RequestContext) {
    systemOnly(ctx.requester);
    const enabledModules = (await this.config.config()).carrierModules.filter(isIntegrationModule);
    return { enabledModules, modules: scopeView(SYSTEM_SCOPE, await this.store.scope(SYSTEM_SCOPE)) };
  }

  /** Removes every credential of the system scope by destroying its data keys (crypto-shredding). */
  @Delete('credentials')
  @HttpCode(204)
  async shred(@Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    systemOnly(ctx.requester);
    const metadata = eventMetadata(ctx, 'ShredCarrierCredentials');
    sendPosition(reply, await this.store.shredCredentials(SYSTEM_SCOPE, metadata), this.projector);
  }

  @Get(':module')
  async get(@Param('module') rawModule: string, @Context() ctx: RequestContext) {
    systemOnly(ctx.requester);
    const module = moduleFromPath(rawModule);
    return moduleView(SYSTEM_SCOPE, module, (await this.store.scope(SYSTEM_SCOPE)).modules[module]);
  }

  @Put(':module')
  @HttpCode(200)
  async put(@Param('module') rawModule: string, @Body() dto: CarrierSettingsDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    systemOnly(ctx.requester);
    const module = moduleFromPath(rawModule);
    const input = settingsInput(dto, (await this.store.scope(SYSTEM_SCOPE)).modules[module]);
    const metadata = eventMetadata(ctx, 'ConfigureCarrier');
    sendPosition(reply, await this.store.configureModule(SYSTEM_SCOPE, module, input, metadata), this.projector);
    return moduleView(SYSTEM_SCOPE, module, input);
  }
}

function systemOnly(requester: Requester): void {
  if (!requester.isSystem) throw new LedgerError('unauthorized', 'only the system may read or change the system carrier settings');
}
