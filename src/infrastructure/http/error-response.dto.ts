import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every error answer (written by HttpErrorFilter), for the OpenAPI document. */
export class ErrorDetailDto {
  @ApiProperty({ example: 'recipient.email' }) field!: string;
  @ApiProperty({ example: 'must be a valid email address' }) reason!: string;
}

export class ErrorBodyDto {
  @ApiProperty({ example: 'validation_failed', description: 'Stable, machine-readable code.' }) code!: string;
  @ApiProperty({ example: 'Invalid request: recipient.email must be a valid email address' }) message!: string;
  @ApiPropertyOptional({ type: [ErrorDetailDto] }) details?: ErrorDetailDto[];
}

export class ErrorResponseDto {
  @ApiProperty({ type: ErrorBodyDto }) error!: ErrorBodyDto;
}
