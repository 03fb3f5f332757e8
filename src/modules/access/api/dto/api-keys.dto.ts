import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayNotEmpty, IsArray, IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { API_KEY_SCOPES, type ApiKeyScope } from '../../../../domain/access/api-key';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'web console', minLength: 1, maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['notifications:read'] })
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(API_KEY_SCOPES, { each: true, message: `each must be one of ${API_KEY_SCOPES.join(', ')}` })
  scopes!: ApiKeyScope[];

  @ApiPropertyOptional({ type: String, nullable: true, example: '2027-01-01T00:00:00Z', description: 'After this time the key is refused with 401 `api_key_expired`. In the future; absent: never expires.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time such as 2027-01-01T00:00:00Z' })
  expiresAt?: string | null;
}

export const API_KEY_STATUSES = ['active', 'expired', 'revoked'] as const;

export class ApiKeyDto {
  @ApiProperty({ example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' }) id!: string;
  @ApiProperty({ example: 'web console' }) name!: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['notifications:read'] }) scopes!: ApiKeyScope[];
  @ApiProperty({ example: 'hk_Qm9zLWF', description: "The secret's first characters (never the secret)." }) prefix!: string;
  @ApiProperty({ type: String, nullable: true, example: 'x9Zq', description: "The secret's last four characters; null for keys created before they were kept." }) lastFour!: string | null;
  @ApiProperty({ enum: API_KEY_STATUSES, example: 'active' }) status!: (typeof API_KEY_STATUSES)[number];
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: Date, nullable: true, example: null }) expiresAt!: Date | null;
  @ApiProperty({ type: Date, nullable: true, example: null }) revokedAt!: Date | null;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) items!: ApiKeyDto[];
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ example: 'hk_Qm9zLWFub3RoZXItcmFuZG9tLXNlY3JldC14OVpx', description: 'Shown once, in this answer; only its hash is stored.' }) secret!: string;
}
