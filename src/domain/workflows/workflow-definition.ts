import { isChannel, type Channel } from '../notification/channel';
import { CATEGORY_NAME_PATTERN, KEY_PATTERN } from '../notification/patterns';
import type { FieldIssue } from '../errors/domain-errors';
import { parseWorkflowDuration } from './duration';
import { conditionIssues, type Condition } from './conditions';

/** `end` as a branch target: the run completes. */
export const END = 'end';
export const STEP_TYPES = ['send', 'delay', 'digest', 'branch', 'throttle'] as const;
export type StepType = (typeof STEP_TYPES)[number];
export const MAX_STEPS = 50;
export const STEP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface SendStep {
  id: string;
  type: 'send';
  channel: Channel;
  /** The notification API's content for that channel; `{{payload.x}}`, `{{digest.count}}` placeholders are filled. */
  content?: Record<string, unknown>;
  template?: { key: string; data?: Record<string, unknown> };
}
export interface DelayStep {
  id: string;
  type: 'delay';
  duration?: string;
  /** `{{payload.path}}`: a time in the payload. */
  until?: string;
}
export interface DigestStep {
  id: string;
  type: 'digest';
  window: string;
  key?: string;
  sendFirstImmediately?: boolean;
}
export interface BranchStep {
  id: string;
  type: 'branch';
  if: Condition;
  then: string;
  else?: string;
}
export interface ThrottleStep {
  id: string;
  type: 'throttle';
  limit: number;
  window: string;
  key?: string;
}
export type WorkflowStep = SendStep | DelayStep | DigestStep | BranchStep | ThrottleStep;

export interface WorkflowDefinition {
  key: string;
  name?: string;
  category?: string;
  steps: WorkflowStep[];
}

/** A stored version of a workflow. */
export interface WorkflowVersion {
  key: string;
  version: number;
  definition: WorkflowDefinition;
  createdAt: Date;
}

const REQUIRED_CONTENT: Record<Channel, string[]> = {
  email: ['subject'],
  sms: ['text'],
  push: ['title', 'body'],
  webpush: ['title', 'body'],
  chat: ['text'],
  inapp: ['title', 'body'],
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function allowedFields(step: Record<string, unknown>, allowed: string[], at: string, issues: FieldIssue[]): void {
  for (const field of Object.keys(step)) if (!allowed.includes(field)) issues.push({ field: `${at}.${field}`, reason: 'is not a field of this step type' });
}

function durationIssue(value: unknown, field: string, issues: FieldIssue[]): void {
  if (parseWorkflowDuration(value) === null) issues.push({ field, reason: 'must be a duration such as "30s", "30m", "1h", "1d" or ISO 8601 ("PT1H"), more than zero and at most a year' });
}

function placeholderKeyIssue(value: unknown, field: string, issues: FieldIssue[]): void {
  if (value !== undefined && (typeof value !== 'string' || value.length === 0 || value.length > 500)) issues.push({ field, reason: 'must be a string of 1-500 characters (placeholders such as {{payload.postId}} allowed)' });
}

/**
 * Checks a workflow definition (parsed JSON or YAML) and returns every problem with the field it concerns;
 * an empty list means it can be stored. `key`: the key in the path, which a key in the body must equal.
 */
export function workflowDefinitionIssues(input: unknown, key: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!KEY_PATTERN.test(key)) issues.push({ field: 'key', reason: 'must be 1-128 lower-case letters, digits, ".", "_", ":" or "-"' });
  if (!isObject(input)) return [...issues, { field: 'body', reason: 'must be an object with steps' }];
  for (const field of Object.keys(input)) if (!['key', 'name', 'category', 'steps'].includes(field)) issues.push({ field, reason: 'is not a field of a workflow' });
  if (input.key !== undefined && input.key !== key) issues.push({ field: 'key', reason: 'must equal the key in the path' });
  if (input.name !== undefined && (typeof input.name !== 'string' || input.name.length > 200)) issues.push({ field: 'name', reason: 'must be a string of at most 200 characters' });
  if (input.category !== undefined && (typeof input.category !== 'string' || !CATEGORY_NAME_PATTERN.test(input.category))) {
    issues.push({ field: 'category', reason: 'must be 1-64 lower-case letters, digits, ".", "_" or "-"' });
  }
  if (!Array.isArray(input.steps) || input.steps.length === 0) return [...issues, { field: 'steps', reason: 'must be a non-empty list of steps' }];
  if (input.steps.length > MAX_STEPS) return [...issues, { field: 'steps', reason: `must have at most ${MAX_STEPS} steps` }];
  const steps = input.steps as unknown[];
  const indexOf = new Map<string, number>();
  steps.forEach((s, i) => {
    if (isObject(s) && typeof s.id === 'string' && !indexOf.has(s.id)) indexOf.set(s.id, i);
  });
  steps.forEach((raw, i) => {
    const at = `steps[${i}]`;
    if (!isObject(raw)) return void issues.push({ field: at, reason: 'must be an object' });
    if (typeof raw.id !== 'string' || !STEP_ID_PATTERN.test(raw.id)) issues.push({ field: `${at}.id`, reason: 'must be 1-64 letters, digits, "_" or "-"' });
    else if (indexOf.get(raw.id) !== i) issues.push({ field: `${at}.id`, reason: `"${raw.id}" is the id of an earlier step (ids are unique in a workflow)` });
    if (raw.id === END) issues.push({ field: `${at}.id`, reason: '"end" is reserved for branch targets' });
    const type = raw.type;
    if (typeof type !== 'string' || !(STEP_TYPES as readonly string[]).includes(type)) {
      return void issues.push({ field: `${at}.type`, reason: `must be one of ${STEP_TYPES.join(', ')}` });
    }
    switch (type as StepType) {
      case 'send':
        allowedFields(raw, ['id', 'type', 'channel', 'content', 'template'], at, issues);
        sendIssues(raw, at, issues);
        break;
      case 'delay':
        allowedFields(raw, ['id', 'type', 'duration', 'until'], at, issues);
        if ((raw.duration === undefined) === (raw.until === undefined)) issues.push({ field: `${at}.duration`, reason: 'is required (or until), not both' });
        if (raw.duration !== undefined) durationIssue(raw.duration, `${at}.duration`, issues);
        if (raw.until !== undefined && (typeof raw.until !== 'string' || !/^\{\{\s*payload\.[^}]+\}\}$/.test(raw.until.trim()))) {
          issues.push({ field: `${at}.until`, reason: 'must be a payload placeholder such as "{{payload.remindAt}}"' });
        }
        break;
      case 'digest':
        allowedFields(raw, ['id', 'type', 'window', 'key', 'sendFirstImmediately'], at, issues);
        durationIssue(raw.window, `${at}.window`, issues);
        placeholderKeyIssue(raw.key, `${at}.key`, issues);
        if (raw.sendFirstImmediately !== undefined && typeof raw.sendFirstImmediately !== 'boolean') issues.push({ field: `${at}.sendFirstImmediately`, reason: 'must be a boolean' });
        if (!steps.slice(i + 1).some((s) => isObject(s) && s.type === 'send')) issues.push({ field: at, reason: 'must be followed by a send step, which sends the digest' });
        break;
      case 'branch':
        allowedFields(raw, ['id', 'type', 'if', 'then', 'else'], at, issues);
        issues.push(...conditionIssues(raw.if, `${at}.if`, (stepId) => sendStepBefore(steps, indexOf, stepId, i)));
        for (const target of ['then', 'else'] as const) {
          const to = raw[target];
          if (to === undefined && target === 'else') continue;
          if (typeof to !== 'string') issues.push({ field: `${at}.${target}`, reason: 'must be a step id or "end"' });
          else if (to !== END && !indexOf.has(to)) issues.push({ field: `${at}.${target}`, reason: `names no step of this workflow ("${to}")` });
          else if (to !== END && indexOf.get(to)! <= i) issues.push({ field: `${at}.${target}`, reason: 'must name a later step (a workflow never loops)' });
        }
        break;
      case 'throttle':
        allowedFields(raw, ['id', 'type', 'limit', 'window', 'key'], at, issues);
        if (!Number.isInteger(raw.limit) || (raw.limit as number) < 1 || (raw.limit as number) > 1_000_000) issues.push({ field: `${at}.limit`, reason: 'must be an integer from 1 to 1000000' });
        durationIssue(raw.window, `${at}.window`, issues);
        placeholderKeyIssue(raw.key, `${at}.key`, issues);
        break;
    }
  });
  return issues;
}

/** Why an outcome condition cannot name this step, or null when it is an earlier send step. */
function sendStepBefore(steps: unknown[], indexOf: Map<string, number>, stepId: string, branchIndex: number): string | null {
  const i = indexOf.get(stepId);
  if (i === undefined) return `names no step of this workflow ("${stepId}")`;
  const step = steps[i] as Record<string, unknown>;
  if (step.type !== 'send') return `"${stepId}" is not a send step`;
  if (i >= branchIndex) return `"${stepId}" does not come before this branch`;
  return null;
}

function sendIssues(raw: Record<string, unknown>, at: string, issues: FieldIssue[]): void {
  if (!isChannel(raw.channel)) return void issues.push({ field: `${at}.channel`, reason: 'must be one of email, sms, push, webpush, chat, inapp' });
  const hasContent = raw.content !== undefined;
  const hasTemplate = raw.template !== undefined;
  if (hasContent === hasTemplate) return void issues.push({ field: `${at}.content`, reason: 'is required (or template), not both' });
  if (hasContent) {
    if (!isObject(raw.content)) return void issues.push({ field: `${at}.content`, reason: 'must be the content of the channel (an object)' });
    for (const field of REQUIRED_CONTENT[raw.channel]) {
      if (typeof raw.content[field] !== 'string' || raw.content[field] === '') issues.push({ field: `${at}.content.${field}`, reason: `is required for ${raw.channel}` });
    }
    if (raw.channel === 'email' && typeof raw.content.text !== 'string' && typeof raw.content.html !== 'string') issues.push({ field: `${at}.content.text`, reason: 'is required for email (or html)' });
    return;
  }
  if (!isObject(raw.template) || typeof raw.template.key !== 'string' || !KEY_PATTERN.test(raw.template.key)) {
    return void issues.push({ field: `${at}.template.key`, reason: 'must be a template key' });
  }
  for (const field of Object.keys(raw.template)) if (!['key', 'data'].includes(field)) issues.push({ field: `${at}.template.${field}`, reason: 'is not a field of a template reference' });
  if (raw.template.data !== undefined && !isObject(raw.template.data)) issues.push({ field: `${at}.template.data`, reason: 'must be an object' });
}

/** The definition as stored: the fields of a valid input, in a stable order (an identical PUT is a replay). */
export function normalizeDefinition(input: Record<string, unknown>, key: string): WorkflowDefinition {
  return {
    key,
    ...(input.name !== undefined ? { name: input.name as string } : {}),
    ...(input.category !== undefined ? { category: input.category as string } : {}),
    steps: input.steps as WorkflowStep[],
  };
}

/** The index of the step a branch target names; the step count for `end`. */
export function targetIndex(definition: WorkflowDefinition, target: string): number {
  if (target === END) return definition.steps.length;
  return definition.steps.findIndex((s) => s.id === target);
}
