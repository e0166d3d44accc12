import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsInt, IsNumber, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';

class CostsDto {
  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 1_000_000, example: 1, description: 'One-time cost of a number.' })
  @IsOptional() @IsNumber() @Min(0) @Max(1_000_000) activation?: number;
  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 1_000_000, example: 0.5, description: 'Monthly cost of a number.' })
  @IsOptional() @IsNumber() @Min(0) @Max(1_000_000) monthly?: number;
}

class OrderPollDto {
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 100 })
  @IsOptional() @IsInt() @Min(1) @Max(100) attempts?: number;
  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 60_000 })
  @IsOptional() @IsInt() @Min(0) @Max(60_000) intervalMs?: number;
}

/**
 * One module's settings document (SPEC 4). PUT replaces it, except that
 * absent `credentials` keep the stored ones (they are never read back).
 */
export class CarrierSettingsDto {
  @ApiPropertyOptional({ type: String, maxLength: 500, example: 'https://api.telnyx.com/v2' })
  @IsOptional() @IsString() @MaxLength(500) baseUrl?: string;
  /** Secret values by name (token, user, password, accountId, ...). */
  @ApiPropertyOptional({
    type: 'object', additionalProperties: { type: 'string' }, example: { token: 'secret' },
    description: 'Secret values by name (token, user, password, accountId, ...); never read back, absent keeps the stored ones.',
  })
  @IsOptional() @IsObject() credentials?: Record<string, string>;
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional() @IsBoolean() enableProvisioning?: boolean;
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional() @IsBoolean() sandboxProvisioning?: boolean;
  @ApiPropertyOptional({ type: () => CostsDto })
  @IsOptional() @ValidateNested() @Type(() => CostsDto) costs?: CostsDto;
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 15 })
  @IsOptional() @IsInt() @Min(1) @Max(15) minSearchPrefix?: number;
  @ApiPropertyOptional({ type: Number, minimum: 50, maximum: 120_000, description: 'Timeout of one carrier request.' })
  @IsOptional() @IsInt() @Min(50) @Max(120_000) timeoutMs?: number;
  @ApiPropertyOptional({ type: () => OrderPollDto })
  @IsOptional() @ValidateNested() @Type(() => OrderPollDto) orderPoll?: OrderPollDto;
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional() @IsBoolean() debug?: boolean;
  /** Non-secret carrier options (siteId, peerId, connectionId...): returned as they are. */
  @ApiPropertyOptional({
    type: 'object', additionalProperties: { type: 'string' }, example: { connectionId: '1234' },
    description: 'Non-secret carrier options (siteId, peerId, connectionId...).',
  })
  @IsOptional() @IsObject() options?: Record<string, string>;
}

export class EnabledModulesDto {
  /** null: back to the operator's list. */
  @ApiPropertyOptional({ type: [String], nullable: true, maxItems: 20, example: ['knm_telnyx'], description: 'Modules enabled for the reseller; null: back to the operator\'s list.' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) enabledModules?: string[] | null;
}
