import { Injectable } from '@nestjs/common';
import { TemplateNotFoundError } from '../../../domain/errors/domain-errors';
import type { TemplateVersion } from '../../../domain/templates/template';
import { TemplateStore } from '../../../domain/ports/template-store.port';

@Injectable()
export class GetTemplate {
  constructor(private readonly store: TemplateStore) {}

  async execute(input: { key: string; version?: number }): Promise<TemplateVersion> {
    const found = await this.store.find(input.key, input.version);
    if (!found) throw new TemplateNotFoundError(input.key, input.version);
    return found;
  }
}
