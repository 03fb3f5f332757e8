import type { FieldIssue } from '../errors/domain-errors';
import type { NotificationContent } from '../notification/notification-request';
import type { TemplateVariants } from '../templates/template';

/** The template engine: escapes HTML in email HTML, renders everything else as plain text. */
export abstract class TemplateRenderer {
  /** Syntax problems of every variant, with the field path of each. */
  abstract check(locales: Record<string, TemplateVariants>): FieldIssue[];
  /** Renders the variants; email HTML is inlined and gets a text alternative when the variant has none. */
  abstract render(templateKey: string, variants: TemplateVariants, data: Record<string, unknown>): NotificationContent;
}
