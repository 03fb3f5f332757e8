import { Module } from '@nestjs/common';
import { TemplateStore } from '../../domain/ports/template-store.port';
import { TemplateStoreTypeormRepository } from './template-store.typeorm-repository';

/** PostgreSQL binding for template versions. */
@Module({
  providers: [
    { provide: TemplateStore, useClass: TemplateStoreTypeormRepository },
  ],
  exports: [TemplateStore],
})
export class TemplatesPersistenceModule {}
