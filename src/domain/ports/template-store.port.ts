import type { AuditOf } from './audit-log.port';
import type { NewTemplateVersion, TemplateVersion } from '../templates/template';

export abstract class TemplateStore {
  /**
   * Stores the next version of the template (creating it at version 1); earlier versions never change. `audit`
   * gets the version before (null for a new template) and the one published, and its entry is written in the
   * same transaction.
   */
  abstract publish(draft: NewTemplateVersion, audit?: AuditOf<TemplatePublication>): Promise<TemplateVersion>;
  /** The given version, or the latest one. */
  abstract find(key: string, version?: number): Promise<TemplateVersion | null>;
}

export interface TemplatePublication {
  previous: TemplateVersion | null;
  published: TemplateVersion;
}
