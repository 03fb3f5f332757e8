import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { MappingRule } from '../../domain/event-rules/mapping-rule';
import { parseRulesDocument } from '../../domain/event-rules/rules-document';

/** Reads a JSON or YAML rules file (YAML is a superset of JSON) and validates it; problems name the offending rule and key. */
export function readRulesFile(path: string): { rules: MappingRule[]; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { rules: [], problems: [`cannot be read (${(err as Error).message})`] };
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    return { rules: [], problems: [`is not valid JSON or YAML: ${(err as Error).message.split('\n')[0]}`] };
  }
  return parseRulesDocument(doc);
}
