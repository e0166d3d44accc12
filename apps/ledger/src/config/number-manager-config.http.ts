import { Inject } from '@nestjs/common';
import { EVENTS } from '../stores/tokens';
import { Body, Controller, Get, HttpCode, Put, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { ACCOUNT_EVENT_TYPES, CONFIG_STREAM_ID } from '../../../../libs/domain/src/account-events';
import { LedgerError } from '../../../../libs/domain/src/errors';
import { parseCarrierModule } from '../../../../libs/domain/src';
import { FEATURES, Feature, NumberManagerConfig } from '../../../../libs/domain/src/types';
import { EventStore, WrongExpectedRevisionError } from '../../../../libs/event-store/src/port';
import { Projector } from '../../../../libs/projections/src/projector';
import { sendPosition } from '../http/position';
import { eventMetadata } from '../numbers/command-runner/command-meta';
import { NumberCommandGateway } from '../numbers/command-runner/number-command.gateway';
import { NumberManagerConfigStore } from './number-manager-config.store';

class FeatureListsDto {
  @IsOptional() @IsArray() @ArrayUnique() @IsIn(FEATURES, { each: true }) allow?: Feature[] | null;
  @IsOptional() @IsArray() @ArrayUnique() @IsIn(FEATURES, { each: true }) deny?: Feature[];
}

export class NumberManagerConfigDto {
  @IsOptional() @IsArray() @ArrayUnique() carrierModules?: string[];
  @IsOptional() @IsIn(['available', 'released']) releasedState?: 'available' | 'released';
  @IsOptional() @IsBoolean() shouldAge?: boolean;
  @IsOptional() @IsInt() @Min(0) @Max(3650) agingPeriodDays?: number;
  @IsOptional() @IsBoolean() shouldPermanentlyDelete?: boolean;
  @IsOptional() @IsInt() @Min(0) @Max(365) discoveryExpiryDays?: number;
  @IsOptional() @IsBoolean() localFeatureOverride?: boolean;
  @IsOptional() @ValidateNested() @Type(() => FeatureListsDto) features?: FeatureListsDto;
  @IsOptional() @IsInt() @Min(1) @Max(15) searchMinPrefixLength?: number;
  @IsOptional() @IsBoolean() billInventoryNumbers?: boolean;
}

@ApiTags('config')
@Controller('v1/config/number-manager')
export class NumberManagerConfigController {
  constructor(
    private readonly store: NumberManagerConfigStore,
    @Inject(EVENTS) private readonly events: EventStore,
    private readonly numbers: NumberCommandGateway,
    private readonly projector: Projector,
  ) {}

  @Get()
  async get(@Req() req: any) {
    systemOnly(req);
    return this.store.config();
  }

  /** Changing the configuration is itself an event (stream `config-number-manager`). */
  @Put()
  @HttpCode(200)
  async put(@Body() dto: NumberManagerConfigDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    systemOnly(req);
    const { config: current, revision } = await this.store.current();
    const next: NumberManagerConfig = {
      ...current,
      ...(dto as Partial<NumberManagerConfig>),
      carrierModules: dto.carrierModules ? dto.carrierModules.map(parseCarrierModule) : current.carrierModules,
      features: { allow: dto.features?.allow ?? current.features.allow, deny: dto.features?.deny ?? current.features.deny },
    };
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

function systemOnly(req: any): void {
  if (!req.requester.isSystem) throw new LedgerError('unauthorized', 'only the system may read or change the number manager configuration');
}
