import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CHANNELS, type Channel } from '../../../../domain/notification/channel';
import { KEY_PATTERN, LOCALE_PATTERN } from '../../../../domain/notification/patterns';
import { PageLimit } from '../../../../infrastructure/http/page-limit';

/** Versions are PostgreSQL integers. */
export const MAX_TEMPLATE_VERSION = 2_147_483_647;

const LOCALES_EXAMPLE = {
  en: {
    email: { subject: 'Order {{orderId}} shipped', html: '<p>Hi {{name}}, order {{orderId}} is on its way.</p>' },
    sms: { text: 'Order {{orderId}} shipped' },
    push: { title: 'Shipped', body: 'Order {{orderId}} is on its way', data: { orderId: '{{orderId}}' } },
  },
  fr: { email: { subject: 'Commande {{orderId}} expédiée', html: '<p>Bonjour {{name}}, la commande {{orderId}} est en route.</p>' } },
};

export class PutTemplateDto {
  @ApiPropertyOptional({ nullable: true, example: 'Sent when an order leaves the warehouse', default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiProperty({ example: 'en', description: 'Used when neither the recipient locale nor its language has a variant.' })
  @IsString()
  @Matches(LOCALE_PATTERN, { message: 'must be a BCP 47 language tag such as en or fr-CA' })
  defaultLocale!: string;

  @ApiProperty({ example: ['orderId', 'name'], description: 'Keys of `data` every request must give; a missing one is refused with 422.' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  variables!: string[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'object', additionalProperties: true } },
    example: LOCALES_EXAMPLE,
    description:
      'Per locale, per channel variants (Handlebars): email {subject, html?, text?}, sms {text}, push {title, body, data?}, webpush {title, body, url?, icon?}, ' +
      'chat {text, blocks?}, inapp {title, body, actionUrl?}. Values are HTML-escaped in email html only. Email html is inlined and gets a text part when text is absent.',
  })
  @IsObject({ message: 'must map locales to channel variants' })
  locales!: Record<string, unknown>;
}

export class TemplateDto {
  @ApiProperty({ example: 'order-shipped' }) key!: string;
  @ApiProperty({ example: 2 }) version!: number;
  @ApiProperty() description!: string;
  @ApiProperty({ example: 'en' }) defaultLocale!: string;
  @ApiProperty({ example: ['orderId', 'name'] }) variables!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'object', additionalProperties: true } }, example: LOCALES_EXAMPLE }) locales!: Record<string, unknown>;
  @ApiProperty() createdAt!: Date;
}

export class PreviewTemplateDto {
  @ApiProperty({ type: 'object', additionalProperties: true, example: { orderId: 'o-1', name: 'Ada' }, description: 'Sample data.' })
  @IsObject({ message: 'must be an object' })
  data!: Record<string, unknown>;

  @ApiPropertyOptional({ nullable: true, example: 'fr-CA' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(35)
  locale?: string;

  @ApiPropertyOptional({ nullable: true, enum: CHANNELS, isArray: true, example: ['email'], description: 'Default: every channel the template has.' })
  @IsOptional()
  @IsArray()
  @IsIn(CHANNELS, { each: true, message: `must contain only known channels: ${CHANNELS.join(', ')}` })
  channels?: Channel[];

  @ApiPropertyOptional({ nullable: true, example: 1, minimum: 1, maximum: MAX_TEMPLATE_VERSION, description: 'Default: the latest version.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TEMPLATE_VERSION)
  version?: number;
}

export class TemplatePreviewDto {
  @ApiProperty({ example: 'order-shipped' }) key!: string;
  @ApiProperty({ example: 2 }) version!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', additionalProperties: true }, description: 'Per channel, the rendered content.', example: { email: { subject: 'Order o-1 shipped', html: '<p>Hi Ada…</p>', text: 'Hi Ada…' } } }) content!: object;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { email: 'fr' }, description: 'The locale each channel was rendered from, after fallback.' }) locales!: Record<string, string>;
}

export class TemplateReferenceDto {
  @ApiProperty({ example: 'order-shipped' })
  @IsString()
  @Matches(KEY_PATTERN, { message: 'must be a template key' })
  key!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { orderId: 'o-1', name: 'Ada' } })
  @IsObject({ message: 'must be an object' })
  data!: Record<string, unknown>;

  @ApiPropertyOptional({ nullable: true, example: 'fr-CA', description: "Default: the recipient profile's locale, then the template's default." })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(35)
  locale?: string;
}

export class ListTemplatesQueryDto {
  @ApiPropertyOptional({ example: 'order-', description: 'Only templates whose key starts with this (compared as it is: keys are lower case).' })
  @IsOptional()
  @IsString()
  @Matches(KEY_PATTERN, { message: 'must be the start of a template key: 1-128 lower-case letters, digits, ".", "_", ":" or "-", beginning with a letter or digit' })
  prefix?: string;

  @PageLimit(100, 50)
  limit?: number;

  @ApiPropertyOptional({ example: 'order-shipped', description: 'nextCursor of the previous page (with the same prefix).' })
  @IsOptional()
  @IsString()
  @Matches(KEY_PATTERN, { message: 'is not a cursor from an earlier page (pass nextCursor as it was given)' })
  cursor?: string;
}

export class TemplateSummaryDto {
  @ApiProperty({ example: 'order-shipped' }) key!: string;
  @ApiProperty({ example: 2, description: 'The latest version; GET /v1/templates/{key}?version=n reads any earlier one.' }) latestVersion!: number;
  @ApiProperty({ example: 'Sent when an order leaves the warehouse' }) description!: string;
  @ApiProperty({ example: 'en' }) defaultLocale!: string;
  @ApiProperty({ example: ['en', 'fr'], description: 'The locales of the latest version, sorted.' }) locales!: string[];
  @ApiProperty({ enum: CHANNELS, isArray: true, example: ['email', 'sms', 'push'], description: 'Channels with a variant in some locale of the latest version.' }) channels!: Channel[];
  @ApiProperty({ description: 'When the latest version was published.' }) updatedAt!: Date;
}

export class TemplateListDto {
  @ApiProperty({ type: [TemplateSummaryDto] }) items!: TemplateSummaryDto[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as `cursor` for the next page; null on the last page.' }) nextCursor!: string | null;
}
