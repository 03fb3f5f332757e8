import { Module } from '@nestjs/common';
import { HeraldConfig } from '../config/herald-config';
import { FieldCipher } from '../crypto/field-cipher';
import { RecipientDirectory } from '../../domain/ports/recipient-directory.port';
import { PreferenceStore } from '../../domain/ports/preference-store.port';
import { RecipientDirectoryTypeormRepository } from './recipient-directory.typeorm-repository';
import { PreferenceStoreTypeormRepository } from './preference-store.typeorm-repository';

/** PostgreSQL binding for recipient profiles and their preferences. */
@Module({
  providers: [
    { provide: FieldCipher, useFactory: (config: HeraldConfig) => new FieldCipher(config.dataEncryption), inject: [HeraldConfig] },
    { provide: RecipientDirectory, useClass: RecipientDirectoryTypeormRepository },
    { provide: PreferenceStore, useClass: PreferenceStoreTypeormRepository },
  ],
  exports: [RecipientDirectory, PreferenceStore],
})
export class RecipientsPersistenceModule {}
