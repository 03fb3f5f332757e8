import type { NewTemplateVersion, TemplateVersion } from '../templates/template';

export abstract class TemplateStore {
  /** Stores the next version of the template (creating it at version 1); earlier versions never change. */
  abstract publish(draft: NewTemplateVersion): Promise<TemplateVersion>;
  /** The given version, or the latest one. */
  abstract find(key: string, version?: number): Promise<TemplateVersion | null>;
}
