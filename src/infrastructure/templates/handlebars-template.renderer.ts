import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { convert } from 'html-to-text';
import juice from 'juice';
import type { FieldIssue } from '../../domain/errors/domain-errors';
import { TemplateRenderError } from '../../domain/errors/domain-errors';
import type { NotificationContent } from '../../domain/notification/notification-request';
import type { TemplateVariants } from '../../domain/templates/template';
import { TemplateRenderer } from '../../domain/ports/template-renderer.port';

type Compiled = (data: Record<string, unknown>) => string;

/**
 * Handlebars in its own environment (no global helpers or partials). Email HTML escapes every
 * `{{value}}`; subjects, text, SMS, push and chat are not HTML, so they are rendered unescaped.
 */
@Injectable()
export class HandlebarsTemplateRenderer extends TemplateRenderer {
  private readonly hb = Handlebars.create();
  private readonly cache = new Map<string, Compiled>();

  check(locales: Record<string, TemplateVariants>): FieldIssue[] {
    const issues: FieldIssue[] = [];
    for (const [locale, variants] of Object.entries(locales)) {
      for (const [path, source] of stringsOf(variants, `locales.${locale}`)) {
        try {
          this.hb.parse(source);
        } catch (err) {
          issues.push({ field: path, reason: `is not a valid template: ${(err as Error).message.split('\n')[0]}` });
        }
      }
    }
    return issues;
  }

  render(templateKey: string, variants: TemplateVariants, data: Record<string, unknown>): NotificationContent {
    const text = (source: string) => this.run(templateKey, source, data, false);
    const out: NotificationContent = {};
    if (variants.email) {
      const v = variants.email;
      const html = v.html === undefined ? undefined : juice(this.run(templateKey, v.html, data, true));
      out.email = {
        subject: text(v.subject),
        html,
        text: v.text !== undefined ? text(v.text) : html !== undefined ? convert(html, { wordwrap: 100 }) : undefined,
      };
    }
    if (variants.sms) out.sms = { text: text(variants.sms.text) };
    if (variants.push) {
      const p = variants.push;
      out.push = {
        title: text(p.title),
        body: text(p.body),
        ...(p.data ? { data: Object.fromEntries(Object.entries(p.data).map(([k, v]) => [k, text(v)])) } : {}),
      };
    }
    if (variants.webpush) {
      const w = variants.webpush;
      out.webpush = { title: text(w.title), body: text(w.body), ...(w.url ? { url: text(w.url) } : {}), ...(w.icon ? { icon: text(w.icon) } : {}) };
    }
    if (variants.chat) {
      const c = variants.chat;
      out.chat = { text: text(c.text), ...(c.blocks ? { blocks: renderDeep(c.blocks, text) as unknown[] } : {}) };
    }
    if (variants.inapp) {
      const i = variants.inapp;
      out.inapp = { title: text(i.title), body: text(i.body), ...(i.actionUrl ? { actionUrl: text(i.actionUrl) } : {}) };
    }
    return out;
  }

  private run(templateKey: string, source: string, data: Record<string, unknown>, escapeHtml: boolean): string {
    const cacheKey = `${escapeHtml ? 'h' : 't'}:${source}`;
    let compiled = this.cache.get(cacheKey);
    if (!compiled) {
      compiled = this.hb.compile(source, { noEscape: !escapeHtml });
      if (this.cache.size > 1000) this.cache.clear();
      this.cache.set(cacheKey, compiled);
    }
    try {
      return compiled(data);
    } catch (err) {
      throw new TemplateRenderError(templateKey, (err as Error).message.split('\n')[0]);
    }
  }
}

/** Every string of a variant tree with its field path. */
function stringsOf(value: unknown, path: string): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsOf(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringsOf(v, `${path}.${k}`));
  return [];
}

function renderDeep(value: unknown, render: (s: string) => string): unknown {
  if (typeof value === 'string') return render(value);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, render));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, render)]));
  return value;
}
