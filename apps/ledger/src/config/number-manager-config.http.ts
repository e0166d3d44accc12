import { Body, Controller, Get, HttpCode, Put, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { FEATURES, Feature, NumberManagerConfig, Requester } from '@ledger/domain/types';
import type { FastifyReply } from 'fastify';
import { Projector } from '@ledger/projections/projector';
import { Caller } from '../core/entry-decorators';
import { sendPosition } from '../core/position';
import { RequestContext } from '../core/request-context';
import { Context } from '../core/request-context.decorator';
import { ConfigureNumberManagerCommand } from './configure-number-manager/configure-number-manager.command';
import { Configured } from './configure-number-manager/configure-number-manager.handler';
import { GetNumberManagerConfigQuery } from './get-number-manager-config/get-number-manager-config.query';

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

/** The raw body, read beside the DTO. */
interface ConfigRequest {
  body?: { features?: Partial<NumberManagerConfig['features']> | null };
}

@ApiTags('config')
@ApiBearerAuth()
@Controller('v1/config/number-manager')
export class NumberManagerConfigController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly projector: Projector,
  ) {}

  @Get()
  get(@Caller() requester: Requester): Promise<NumberManagerConfig> {
    return this.queries.execute(new GetNumberManagerConfigQuery(requester));
  }

  /** Changing the configuration is itself an event (stream `config-number-manager`). */
  @Put()
  @HttpCode(200)
  async put(@Body() dto: NumberManagerConfigDto, @Req() req: ConfigRequest, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<NumberManagerConfig> {
    // the raw body: whether `features.allow` was sent (null restores the default) is lost in the DTO
    const changes = { ...(dto as Partial<NumberManagerConfig>), features: req.body?.features as NumberManagerConfig['features'] | undefined };
    const done: Configured = await this.commands.execute(new ConfigureNumberManagerCommand(changes, ctx));
    sendPosition(reply, done.position, this.projector);
    return done.config;
  }
}
