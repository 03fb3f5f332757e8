import { Module, type DynamicModule } from '@nestjs/common';
import { TemplatesController } from './api/templates.controller';
import { GetTemplate } from './application/get-template.use-case';
import { PreviewTemplate } from './application/preview-template.use-case';
import { PublishTemplate } from './application/publish-template.use-case';
import { RenderTemplate } from './application/render-template';

const PROVIDERS = [GetTemplate, PreviewTemplate, PublishTemplate, RenderTemplate];

/** Versioned, localised templates; rendering for intake and topic fan-outs. Controllers only in the api role. */
@Module({})
export class TemplatesModule {
  static register(options: { http: boolean }): DynamicModule {
    return { module: TemplatesModule, controllers: options.http ? [TemplatesController] : [], providers: PROVIDERS, exports: PROVIDERS };
  }
}
