import { Module } from '@nestjs/common';
import { DataEncryptionModule } from '../crypto/data-encryption.module';
import { RecipientDirectory } from '../../domain/ports/recipient-directory.port';
import { PreferenceStore } from '../../domain/ports/preference-store.port';
import { RecipientDirectoryTypeormRepository } from './recipient-directory.typeorm-repository';
import { PreferenceStoreTypeormRepository } from './preference-store.typeorm-repository';

/** PostgreSQL binding for recipient profiles and their preferences. */
@Module({
  imports: [DataEncryptionModule],
  providers: [
    { provide: RecipientDirectory, useClass: RecipientDirectoryTypeormRepository },
    { provide: PreferenceStore, useClass: PreferenceStoreTypeormRepository },
  ],
  exports: [RecipientDirectory, PreferenceStore],
})
export class RecipientsPersistenceModule {}
