import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

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

/**
 * The error body as a response's content, for routes whose other answers are not JSON (an HTML page, TwiML):
 * their error answers are still this JSON.
 */
export const ERROR_RESPONSE_CONTENT = { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } };

/** An HTML page as a response's content (hosted pages answer their refusals as pages too). */
export const HTML_PAGE_CONTENT = { 'text/html': { schema: { type: 'string' } } };
