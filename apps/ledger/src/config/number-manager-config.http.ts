import type { FastifyReply, FastifyRequest } from 'fastify';
import { Inject } from '@nestjs/common';
import { EVENTS } from '../stores/tokens';
import { Body, Controller, Get, HttpCode, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { ACCOUNT_EVENT_TYPES, CONFIG_STREAM_ID } from '@ledger/domain/account-events';
import { LedgerError } from '@ledger/domain/errors';
import { changedConfig } from '@ledger/domain';
import { FEATURES, Feature, NumberManagerConfig } from '@ledger/domain/types';
import { EventStore, WrongExpectedRevisionError } from '@ledger/event-store/port';
import { Projector } from '@ledger/projections/projector';
import { sendPosition } from '../http/position';
import { eventMetadata } from '../numbers/command-runner/command-meta';
import { NumberCommandGateway } from '../numbers/command-runner/number-command.gateway';
import { NumberManagerConfigStore } from './number-manager-config.store';

class FeatureListsDto {
  @ApiPropertyOptional({ enum: [...FEATURES], isArray: true, nullable: true, description: 'Features numbers may have; null: every feature.' })
  @IsOptional() @IsArray() @ArrayUnique() @IsIn(FEATURES, { each: true }) allow?: Feature[] | null;
  @ApiPropertyOptional({ enum: [...FEATURES], isArray: true, description: 'Features numbers may not have.' })
  @IsOptional() @IsArray() @ArrayUnique() @IsIn(FEATURES, { each: true }) deny?: Feature[];
}

export class NumberManagerConfigDto {
  @ApiPropertyOptional({ type: [String], example: ['knm_local', 'knm_telnyx'], description: 'Carrier modules enabled for the system (the knm_ prefix may be left out).' })
  @IsOptional() @IsArray() @ArrayUnique() carrierModules?: string[];
  @ApiPropertyOptional({ enum: ['available', 'released'], description: 'State a released number goes to.' })
  @IsOptional() @IsIn(['available', 'released']) releasedState?: 'available' | 'released';
  @ApiPropertyOptional({ type: Boolean, description: 'Released numbers age before becoming available again.' })
  @IsOptional() @IsBoolean() shouldAge?: boolean;
  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 3650 })
  @IsOptional() @IsInt() @Min(0) @Max(3650) agingPeriodDays?: number;
  @ApiPropertyOptional({ type: Boolean, description: 'Released numbers are deleted.' })
  @IsOptional() @IsBoolean() shouldPermanentlyDelete?: boolean;
  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 365, description: 'Days a discovered number stays in discovery.' })
  @IsOptional() @IsInt() @Min(0) @Max(365) discoveryExpiryDays?: number;
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional() @IsBoolean() localFeatureOverride?: boolean;
  @ApiPropertyOptional({ type: () => FeatureListsDto })
  @IsOptional() @ValidateNested() @Type(() => FeatureListsDto) features?: FeatureListsDto;
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 15, description: 'Fewest digits a national search prefix may have.' })
  @IsOptional() @IsInt() @Min(1) @Max(15) searchMinPrefixLength?: number;
  @ApiPropertyOptional({ type: Boolean, description: 'Bill numbers held in inventory.' })
  @IsOptional() @IsBoolean() billInventoryNumbers?: boolean;
}

@ApiTags('config')
@ApiBearerAuth()
@Controller('v1/config/number-manager')
export class NumberManagerConfigController {
  constructor(
    private readonly store: NumberManagerConfigStore,
    @Inject(EVENTS) private readonly events: EventStore,
    private readonly numbers: NumberCommandGateway,
    private readonly projector: Projector,
  ) {}

  @Get()
  async get(@Req() req: FastifyRequest) {
    systemOnly(req);
    return this.store.config();
  }

  /** Changing the configuration is itself an event (stream `config-number-manager`). */
  @Put()
  @HttpCode(200)
  async put(@Body() dto: NumberManagerConfigDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    systemOnly(req);
    const { config: current, revision } = await this.store.current();
    // the raw body: whether `features.allow` was sent (null restores the default) is lost in the DTO
    const next: NumberManagerConfig = changedConfig(current, { ...(dto as Partial<NumberManagerConfig>), features: (req.body as { features?: NumberManagerConfig['features'] } | undefined)?.features });
    try {
      const r = await this.events.append(
        CONFIG_STREAM_ID,
        [{ id: crypto.randomUUID(), type: ACCOUNT_EVENT_TYPES.NumberManagerConfigured, data: { config: next, at: new Date().toISOString() }, metadata: eventMetadata(this.numbers.metaFrom(req), 'ConfigureNumberManager') }],
        revision < 0 ? 'no_stream' : revision,
      );
      this.store.invalidate();
      sendPosition(reply, r.position, this.projector);
      return next;
    } catch (err) {
      if (err instanceof WrongExpectedRevisionError) throw new LedgerError('concurrency_conflict', 'the configuration changed meanwhile; retry');
      throw err;
    }
  }
}

function systemOnly(req: FastifyRequest): void {
  if (!req.requester?.isSystem) throw new LedgerError('unauthorized', 'only the system may read or change the number manager configuration');
}
