import { Injectable } from '@nestjs/common';
import { TemplateVariablesMissingError } from '../../../domain/errors/domain-errors';
import type { Channel } from '../../../domain/notification/channel';
import type { NotificationContent } from '../../../domain/notification/notification-request';
import { missingVariables, pickVariants, type TemplateVariants, type TemplateVersion } from '../../../domain/templates/template';
import { TemplateRenderer } from '../../../domain/ports/template-renderer.port';

export interface RenderedTemplate {
  content: NotificationContent;
  /** The locale each channel's variant came from, after fallback. */
  locales: Partial<Record<Channel, string>>;
}

/** Renders one template version for channels and a wanted locale (with fallback), after checking its declared variables. */
@Injectable()
export class RenderTemplate {
  constructor(private readonly renderer: TemplateRenderer) {}

  execute(
    template: TemplateVersion,
    input: { channels: readonly Channel[]; locale: string | null | undefined; data: Record<string, unknown>; fieldPrefix?: string },
  ): RenderedTemplate {
    const missing = missingVariables(template, input.data);
    if (missing.length) throw new TemplateVariablesMissingError(template.key, missing, input.fieldPrefix);
    const picked = pickVariants(template, input.channels, input.locale);
    const variants: TemplateVariants = {};
    const locales: Partial<Record<Channel, string>> = {};
    for (const [channel, choice] of Object.entries(picked) as Array<[Channel, { locale: string; source: unknown }]>) {
      (variants as Record<string, unknown>)[channel] = choice.source;
      locales[channel] = choice.locale;
    }
    return { content: this.renderer.render(template.key, variants, input.data), locales };
  }
}
