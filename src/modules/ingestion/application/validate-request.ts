import type { FieldIssue } from '../../../domain/errors/domain-errors';
import { checkRequestRules, type NotificationRequest } from '../../../domain/notification/notification-request';
import { checkBodyAgainstDto } from '../../../infrastructure/http/dto-conformance';
import { CreateNotificationDto } from '../schema/create-notification.dto';

/**
 * The checks the HTTP API makes (the request DTO, then the rules across fields), for requests that arrive
 * from streams and queues: a request either passes as plain data or comes back with every issue.
 *
 * As on the API's busiest routes (ValidatedBody), a request that `conformsToDto` is taken as the plain data it
 * is, with no class instance built; any other goes through class-transformer and class-validator, which give
 * the issues (or accept it). Both give the same request: the data as JSON would carry it.
 *
 * `json`: the body is JSON data already (parsed, or built by the caller from parsed values only, as the mapping
 * rules build requests from plain images) and the caller hands it over: a conforming body is then taken as it is,
 * without the copy through JSON text that makes any other body plain.
 */
export function validateRequest(body: unknown, options: { json?: boolean } = {}): { ok: true; request: NotificationRequest } | { ok: false; issues: FieldIssue[] } {
  const checked = checkBodyAgainstDto(CreateNotificationDto, body, options);
  return checked.ok ? withRules(checked.value as unknown as NotificationRequest) : checked;
}

function withRules(request: NotificationRequest): { ok: true; request: NotificationRequest } | { ok: false; issues: FieldIssue[] } {
  // A template is rendered at acceptance, which checks the rendered content with the same rules.
  const issues = request.template ? [] : checkRequestRules(request);
  return issues.length ? { ok: false, issues } : { ok: true, request };
}

export function describeIssues(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.field} ${i.reason}`).join('; ');
}
