import type { AuditOf } from './audit-log.port';
import type { NewTemplateVersion, TemplateVersion } from '../templates/template';

/** The latest version of a template, with when the template last changed. */
export interface LatestTemplate {
  latest: TemplateVersion;
  updatedAt: Date;
}

export interface LatestTemplatePage {
  items: LatestTemplate[];
  /** The last key of this page, to pass as `after` for the next one; null on the last page. */
  nextCursor: string | null;
}

export abstract class TemplateStore {
  /**
   * Stores the next version of the template (creating it at version 1); earlier versions never change. `audit`
   * gets the version before (null for a new template) and the one published, and its entry is written in the
   * same transaction.
   */
  abstract publish(draft: NewTemplateVersion, audit?: AuditOf<TemplatePublication>): Promise<TemplateVersion>;
  /** The given version, or the latest one. */
  abstract find(key: string, version?: number): Promise<TemplateVersion | null>;
  /** Templates in key order (byte order), those whose key starts with `prefix` when given: keyset pagination after a key. */
  abstract listLatest(query: { prefix: string | null; after: string | null; limit: number }): Promise<LatestTemplatePage>;
}

export interface TemplatePublication {
  previous: TemplateVersion | null;
  published: TemplateVersion;
}
