import { requireAccountAccess } from '../../accounts/account-access';
import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { AccountTree } from '../../accounts/account-tree';
import type { FastifyReply } from 'fastify';
import { RequestContext } from '../../core/request-context';
import { sendPosition } from '../../core/position';
import { Context } from '../../core/request-context.decorator';
import { eventMetadata } from '../../core/request-context';
import { CarrierDirectory } from '../carrier-directory';
import { CarrierSettingsDto, EnabledModulesDto } from './carrier-settings.dto';
import { enabledModulesInput, moduleFromPath, settingsInput } from './carrier-settings.input';
import { moduleView } from './carrier-settings.view';

/**
 * A reseller's carrier settings (SPEC 4: per system and per reseller), kept by
 * the reseller itself or an account above it (admins included).
 */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1/accounts/:id/carriers')
export class ResellerCarriersController {
  constructor(
    private readonly carriers: CarrierDirectory,
    private readonly accounts: AccountTree,
    private readonly projector: Projector,
  ) {}

  /** What the account's searches and orders use: enabled modules and the merged settings. */
  @Get()
  async effective(@Param('id') id: string, @Context() ctx: RequestContext) {
    this.mayRead(id, ctx.requester);
    const enabled = await this.carriers.enabledFor(id);
    const reseller = this.carriers.resellerScope(id) ?? null;
    const modules = Object.fromEntries(await Promise.all(enabled.modules.map(async (m) =>
      [m, moduleView(reseller ?? 'system', m, await this.carriers.inputFor(m, id))] as const)));
    return { accountId: id, reseller, enabledModules: enabled.modules, refused: enabled.refused, modules };
  }

  @Put()
  @HttpCode(200)
  async enable(@Param('id') id: string, @Body() dto: EnabledModulesDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    this.mayConfigure(id, ctx.requester);
    const list = enabledModulesInput(dto.enabledModules);
    const metadata = eventMetadata(ctx, 'EnableCarrierModules');
    sendPosition(reply, await this.carriers.store.enableModules(id, list, metadata), this.projector);
    return { accountId: id, enabledModules: list };
  }

  /** Removes every credential of the reseller's scope by destroying its data keys (crypto-shredding). */
  @Delete('credentials')
  @HttpCode(204)
  async shred(@Param('id') id: string, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    this.mayConfigure(id, ctx.requester);
    const metadata = eventMetadata(ctx, 'ShredCarrierCredentials');
    sendPosition(reply, await this.carriers.store.shredCredentials(id, metadata), this.projector);
  }

  @Get(':module')
  async get(@Param('id') id: string, @Param('module') rawModule: string, @Context() ctx: RequestContext) {
    this.mayConfigure(id, ctx.requester);
    const module = moduleFromPath(rawModule);
    return moduleView(id, module, (await this.carriers.store.scope(id)).modules[module]);
  }

  @Put(':module')
  @HttpCode(200)
  async put(
    @Param('id') id: string, @Param('module') rawModule: string, @Body() dto: CarrierSettingsDto,
    @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.mayConfigure(id, ctx.requester);
    const module = moduleFromPath(rawModule);
    const input = settingsInput(dto, (await this.carriers.store.scope(id)).modules[module]);
    const metadata = eventMetadata(ctx, 'ConfigureCarrier');
    sendPosition(reply, await this.carriers.store.configureModule(id, module, input, metadata), this.projector);
    return moduleView(id, module, input);
  }

  private mayRead(id: string, requester: Requester): void {
    requireAccountAccess(this.accounts, requester, id, 'read the carrier settings of');
  }

  private mayConfigure(id: string, requester: Requester): void {
    this.mayRead(id, requester);
    if (!this.accounts.get(id)!.reseller) {
      throw new LedgerError('validation_failed', `carrier settings are kept per reseller; ${id} is not a reseller`, { field: 'id' });
    }
  }
}
