import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { AUDIT_ACTIONS, type AuditAction } from '../../../../domain/ports/audit-log.port';
import { PageLimit } from '../../../../infrastructure/http/page-limit';

export class ListAuditLogQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS, example: 'api_key.revoked' })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: `must be one of ${AUDIT_ACTIONS.join(', ')}` })
  action?: AuditAction;

  @ApiPropertyOptional({ example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', description: 'Done with this API key.' })
  @IsOptional()
  @IsUUID('all')
  keyId?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'At or after this time.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time such as 2026-11-01T00:00:00Z' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'Before this time.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time such as 2026-12-01T00:00:00Z' })
  to?: string;

  @PageLimit(500, 50)
  limit?: number;

  @ApiPropertyOptional({ example: 'WyIyMDI2LTExLTIwVDEwOjAwOjAwLjEyMzQ1NloiLCIwMTkzYTFiMi03YzRkLTdlOGYtOWEwYi0xYzJkM2U0ZjVhNmIiXQ', description: 'nextCursor of the previous page (with the same filters).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class AuditEntryDto {
  @ApiProperty({ example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' }) id!: string;
  @ApiProperty() at!: Date;
  @ApiProperty({ type: String, nullable: true, example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', description: 'The API key that acted; null for the CLI.' }) keyId!: string | null;
  @ApiProperty({ enum: AUDIT_ACTIONS, example: 'api_key.revoked' }) action!: AuditAction;
  @ApiProperty({ example: 'api_key:0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' }) target!: string;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, example: { name: 'web console', revokedAt: null }, description: 'Secrets masked.' }) before!: object | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, example: { name: 'web console', revokedAt: '2026-12-01T10:00:00.000Z' }, description: 'Secrets masked.' }) after!: object | null;
}

export class AuditLogDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.', example: null }) nextCursor!: string | null;
}
