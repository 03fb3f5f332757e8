import { Module } from '@nestjs/common';
import { TemplateRenderer } from '../../domain/ports/template-renderer.port';
import { HandlebarsTemplateRenderer } from './handlebars-template.renderer';

/** Template engine binding: exports the TemplateRenderer port. */
@Module({
  providers: [{ provide: TemplateRenderer, useClass: HandlebarsTemplateRenderer }],
  exports: [TemplateRenderer],
})
export class TemplatesInfrastructureModule {}
