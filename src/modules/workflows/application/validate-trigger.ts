import type { FieldIssue } from '../../../domain/errors/domain-errors';
import type { WorkflowTriggerRequest } from '../../../domain/event-rules/mapping-rule';
import { checkBodyAgainstDto } from '../../../infrastructure/http/dto-conformance';
import { TriggerEventDto } from '../schema/trigger-event.dto';
import { triggerInputIssues } from './trigger-workflow.use-case';

/**
 * The checks POST /v1/events makes, for a trigger that arrives on the intake queue or that a mapping rule built: the
 * body DTO (addresses, keys, the payload an object), then recipients or topic. The idempotency key is the caller's to
 * take from the body or the message (it is not part of the trigger). The DTO check is validateRequest's
 * (`checkBodyAgainstDto`).
 */
export function validateTrigger(body: unknown): { ok: true; trigger: WorkflowTriggerRequest } | { ok: false; issues: FieldIssue[] } {
  // Bodies here are parsed JSON (a message) or built from it (a rule): taken as they are when they conform.
  const checked = checkBodyAgainstDto(TriggerEventDto, body, { json: true });
  if (!checked.ok) return checked;
  const plain = checked.value;
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
