import { ApiProperty } from '@nestjs/swagger';
import { API_KEY_SCOPES, type ApiKeyScope } from '../../../../domain/access/api-key';

export class ApiKeySelfDto {
  @ApiProperty({ example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' }) id!: string;
  @ApiProperty({ example: 'support desk' }) name!: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['notifications:read'], description: '`admin` implies every other scope.' })
  scopes!: ApiKeyScope[];
}
