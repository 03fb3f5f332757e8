import { Injectable } from '@nestjs/common';
import type { Category } from '../../../domain/preferences/preference-policy';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';

@Injectable()
export class ListCategories {
  constructor(private readonly store: PreferenceStore) {}

  execute(): Promise<Category[]> {
    return this.store.listCategories();
  }
}
