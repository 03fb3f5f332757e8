import { Injectable } from '@nestjs/common';
import type { Category } from '../../../domain/preferences/preference-policy';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';

@Injectable()
export class DeclareCategory {
  constructor(private readonly store: PreferenceStore) {}

  execute(input: Category): Promise<Category> {
    return this.store.upsertCategory(input);
  }
}
