import { Module } from '@nestjs/common';
import { TemplatesInfrastructureModule } from '../../infrastructure/templates/templates-infrastructure.module';
import { TemplatesPersistenceModule } from '../../infrastructure/typeorm/templates-persistence.module';
import { GetTemplate } from './application/get-template.use-case';
import { ListTemplates } from './application/list-templates.use-case';
import { PreviewTemplate } from './application/preview-template.use-case';
import { PublishTemplate } from './application/publish-template.use-case';
import { RenderTemplate } from './application/render-template';

const PROVIDERS = [GetTemplate, ListTemplates, PreviewTemplate, PublishTemplate, RenderTemplate];

/** Versioned, localised templates; rendering for intake and topic fan-outs. */
@Module({ imports: [TemplatesPersistenceModule, TemplatesInfrastructureModule], providers: PROVIDERS, exports: PROVIDERS })
export class TemplatesModule {}
