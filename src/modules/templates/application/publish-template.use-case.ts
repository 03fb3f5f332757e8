import { Injectable } from '@nestjs/common';
import { ValidationFailedError, type FieldIssue } from '../../../domain/errors/domain-errors';
import { fingerprint } from '../../../domain/notification/request-fingerprint';
import { channelsOf, checkTemplateVariants, type TemplateVariants, type TemplateVersion } from '../../../domain/templates/template';
import type { AuditEntry } from '../../../domain/ports/audit-log.port';
import { TemplateRenderer } from '../../../domain/ports/template-renderer.port';
import { TemplateStore, type TemplatePublication } from '../../../domain/ports/template-store.port';

export interface PublishTemplateInput {
  key: string;
  description: string;
  defaultLocale: string;
  variables: string[];
  locales: unknown;
  /** The API key that publishes, for the audit log. */
  actorKeyId: string | null;
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
    return this.store.publish(
      {
        key: input.key,
        description: input.description,
        defaultLocale: input.defaultLocale,
        variables: [...new Set(input.variables)],
        locales: input.locales as Record<string, TemplateVariants>,
      },
      // Every publish is a new version, a replay too: each is recorded.
      (change) => templateAudit(input.actorKeyId, change),
    );
  }
}

function templateAudit(keyId: string | null, { previous, published }: TemplatePublication): AuditEntry {
  return { keyId, action: 'template.published', target: `template:${published.key}`, before: previous && auditedTemplate(previous), after: auditedTemplate(published) };
}

/**
 * What the audit log keeps of a version: its shape (locales, channels, variables) and a digest of its content,
 * which changes with any subject or body; the content itself is GET /v1/templates/{key}?version=N.
 */
function auditedTemplate(t: TemplateVersion): Record<string, unknown> {
  return {
    version: t.version,
    description: t.description,
    defaultLocale: t.defaultLocale,
    locales: Object.keys(t.locales).sort(),
    channels: channelsOf(t),
    variables: t.variables,
    contentDigest: fingerprint(t.locales).slice(0, 16),
  };
}
