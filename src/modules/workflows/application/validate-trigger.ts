import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FieldIssue } from '../../../domain/errors/domain-errors';
import type { WorkflowTriggerRequest } from '../../../domain/event-rules/mapping-rule';
import { conformsToDto } from '../../../infrastructure/http/dto-conformance';
import { flattenValidationErrors } from '../../../infrastructure/http/validation';
import { TriggerEventDto } from '../schema/trigger-event.dto';
import { triggerInputIssues } from './trigger-workflow.use-case';

/**
 * The checks POST /v1/events makes, for a trigger that arrives on the intake queue or that a mapping rule built: the
 * body DTO (addresses, keys, the payload an object), then recipients or topic. The idempotency key is the caller's to
 * take from the body or the message (it is not part of the trigger). As validateRequest does, a body that
 * `conformsToDto` is taken as the plain JSON it is; any other goes through class-validator, which gives the issues.
 */
export function validateTrigger(body: unknown): { ok: true; trigger: WorkflowTriggerRequest } | { ok: false; issues: FieldIssue[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, issues: [{ field: '(body)', reason: 'must be a JSON object' }] };
  let plain: Record<string, unknown>;
  if (conformsToDto(TriggerEventDto, body)) {
    plain = body as Record<string, unknown>;
  } else {
    const dto = plainToInstance(TriggerEventDto, body);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
    if (errors.length) return { ok: false, issues: flattenValidationErrors(errors) };
    plain = JSON.parse(JSON.stringify(dto)) as Record<string, unknown>;
  }
  // Optional fields given as null are absent, as the API's edge has them.
  const trigger: WorkflowTriggerRequest = {
    workflow: plain.workflow as string,
    ...(plain.recipients != null ? { recipients: plain.recipients as WorkflowTriggerRequest['recipients'] } : {}),
    ...(plain.topic != null ? { topic: plain.topic as string } : {}),
    payload: plain.payload as Record<string, unknown>,
    ...(plain.runKey != null ? { runKey: plain.runKey as string } : {}),
  };
  const issues = triggerInputIssues(trigger);
  return issues.length ? { ok: false, issues } : { ok: true, trigger };
}
