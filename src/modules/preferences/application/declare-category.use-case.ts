import { Injectable } from '@nestjs/common';
import { differs } from '../../../domain/audit/audit-state';
import type { Category } from '../../../domain/preferences/preference-policy';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';

/** Declares a category or changes it; a change is recorded in the audit log with the category before and after. */
@Injectable()
export class DeclareCategory {
  constructor(private readonly store: PreferenceStore) {}

  execute(input: Category & { actorKeyId: string | null }): Promise<Category> {
    const { actorKeyId, ...category } = input;
    return this.store.upsertCategory(category, ({ previous, declared }) =>
      // The same PUT again changes nothing and is not recorded twice.
      previous && !differs(previous, declared)
        ? null
        : { keyId: actorKeyId, action: 'category.changed', target: `category:${declared.name}`, before: previous && { ...previous }, after: { ...declared } },
    );
  }
}
