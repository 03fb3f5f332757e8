import { Injectable } from '@nestjs/common';
import { ValidationFailedError, type FieldIssue } from '../../../domain/errors/domain-errors';
import { checkTemplateVariants, type TemplateVariants, type TemplateVersion } from '../../../domain/templates/template';
import { TemplateRenderer } from '../../../domain/ports/template-renderer.port';
import { TemplateStore } from '../../../domain/ports/template-store.port';

export interface PublishTemplateInput {
  key: string;
  description: string;
  defaultLocale: string;
  variables: string[];
  locales: unknown;
}

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Publishes the next version of a template. Notifications accepted before keep what they were rendered with. */
@Injectable()
export class PublishTemplate {
  constructor(
    private readonly store: TemplateStore,
    private readonly renderer: TemplateRenderer,
  ) {}

  async execute(input: PublishTemplateInput): Promise<TemplateVersion> {
    const issues: FieldIssue[] = checkTemplateVariants(input.locales, input.defaultLocale);
    input.variables.forEach((v, i) => {
      if (!VARIABLE.test(v)) issues.push({ field: `variables[${i}]`, reason: 'must be an identifier (letters, digits, _)' });
    });
    if (issues.length === 0) issues.push(...this.renderer.check(input.locales as Record<string, TemplateVariants>));
    if (issues.length) throw new ValidationFailedError(issues);
    return this.store.publish({
      key: input.key,
      description: input.description,
      defaultLocale: input.defaultLocale,
      variables: [...new Set(input.variables)],
      locales: input.locales as Record<string, TemplateVariants>,
    });
  }
}
