import { Module } from '@nestjs/common';
import { HeraldConfig } from '../config/herald-config';
import { FieldCipher } from './field-cipher';

/** The cipher for personal data at rest, under DATA_ENCRYPTION_KEYS (values are stored as given without it). */
@Module({
  providers: [{ provide: FieldCipher, useFactory: (config: HeraldConfig) => new FieldCipher(config.dataEncryption), inject: [HeraldConfig] }],
  exports: [FieldCipher],
})
export class DataEncryptionModule {}
