import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FieldIssue } from '../../../domain/errors/domain-errors';
import { checkRequestRules, type NotificationRequest } from '../../../domain/notification/notification-request';
import { conformsToDto } from '../../../infrastructure/http/dto-conformance';
import { flattenValidationErrors } from '../../../infrastructure/http/validation';
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
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, issues: [{ field: '(body)', reason: 'must be a JSON object' }] };
  if (conformsToDto(CreateNotificationDto, body)) return withRules((options.json ? body : JSON.parse(JSON.stringify(body))) as NotificationRequest);
  const dto = plainToInstance(CreateNotificationDto, body);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  if (errors.length) return { ok: false, issues: flattenValidationErrors(errors) };
  return withRules(JSON.parse(JSON.stringify(dto)) as NotificationRequest);
}

function withRules(request: NotificationRequest): { ok: true; request: NotificationRequest } | { ok: false; issues: FieldIssue[] } {
  // A template is rendered at acceptance, which checks the rendered content with the same rules.
  const issues = request.template ? [] : checkRequestRules(request);
  return issues.length ? { ok: false, issues } : { ok: true, request };
}

export function describeIssues(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.field} ${i.reason}`).join('; ');
}
