import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsInt, IsNumber, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';

class CostsDto {
  @IsOptional() @IsNumber() @Min(0) @Max(1_000_000) activation?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1_000_000) monthly?: number;
}

class OrderPollDto {
  @IsOptional() @IsInt() @Min(1) @Max(100) attempts?: number;
  @IsOptional() @IsInt() @Min(0) @Max(60_000) intervalMs?: number;
}

/**
 * One module's settings document (SPEC 4). PUT replaces it, except that
 * absent `credentials` keep the stored ones (they are never read back).
 */
export class CarrierSettingsDto {
  @IsOptional() @IsString() @MaxLength(500) baseUrl?: string;
  /** Secret values by name (token, user, password, accountId, ...). */
  @IsOptional() @IsObject() credentials?: Record<string, string>;
  @IsOptional() @IsBoolean() enableProvisioning?: boolean;
  @IsOptional() @IsBoolean() sandboxProvisioning?: boolean;
  @IsOptional() @ValidateNested() @Type(() => CostsDto) costs?: CostsDto;
  @IsOptional() @IsInt() @Min(1) @Max(15) minSearchPrefix?: number;
  @IsOptional() @IsInt() @Min(50) @Max(120_000) timeoutMs?: number;
  @IsOptional() @ValidateNested() @Type(() => OrderPollDto) orderPoll?: OrderPollDto;
  @IsOptional() @IsBoolean() debug?: boolean;
  /** Non-secret carrier options (siteId, peerId, connectionId...): returned as they are. */
  @IsOptional() @IsObject() options?: Record<string, string>;
}

export class EnabledModulesDto {
  /** null: back to the operator's list. */
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) enabledModules?: string[] | null;
}
