import { Injectable } from '@nestjs/common';
import { summaryOf, type TemplateSummary } from '../../../domain/templates/template';
import { TemplateStore } from '../../../domain/ports/template-store.port';

/** The template listing: latest versions in key order, optionally those whose key starts with a prefix. */
@Injectable()
export class ListTemplates {
  constructor(private readonly store: TemplateStore) {}

  async execute(input: { prefix: string | null; after: string | null; limit: number }): Promise<{ items: TemplateSummary[]; nextCursor: string | null }> {
    const page = await this.store.listLatest(input);
    return { items: page.items.map((t) => summaryOf(t.latest, t.updatedAt)), nextCursor: page.nextCursor };
  }
}
