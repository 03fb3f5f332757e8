import { Injectable } from '@nestjs/common';
import { CHANNELS, type Channel } from '../../../domain/notification/channel';
import { channelsOf } from '../../../domain/templates/template';
import { GetTemplate } from './get-template.use-case';
import { RenderTemplate, type RenderedTemplate } from './render-template';

export interface PreviewTemplateInput {
  key: string;
  version?: number;
  channels?: Channel[];
  locale?: string;
  data: Record<string, unknown>;
}

/** Renders a template with sample data, exactly as a notification would get it. Nothing is stored or sent. */
@Injectable()
export class PreviewTemplate {
  constructor(
    private readonly getTemplate: GetTemplate,
    private readonly render: RenderTemplate,
  ) {}

  async execute(input: PreviewTemplateInput): Promise<RenderedTemplate & { key: string; version: number }> {
    const template = await this.getTemplate.execute({ key: input.key, version: input.version });
    const channels = input.channels?.length ? input.channels.filter((c) => CHANNELS.includes(c)) : channelsOf(template);
    const rendered = this.render.execute(template, { channels, locale: input.locale, data: input.data });
    return { key: template.key, version: template.version, ...rendered };
  }
}
