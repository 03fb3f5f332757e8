import type { Message } from '@aws-sdk/client-sqs';
import type { IncomingEvent } from '../application/ingest-events.use-case';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const IDEMPOTENCY_ATTRIBUTE = 'IdempotencyKey';

/**
 * What an intake message holds: a notification request (as sent to the API), a workflow trigger (as sent to
 * `POST /v1/events`: a body with `workflow`), an EventBridge event, or any of them wrapped in an SNS notification. The idempotency key is the `IdempotencyKey` message
 * attribute, else the event's own id (EventBridge `id`, SNS `MessageId`).
 */
export function readIntakeMessage(message: Message): IncomingEvent {
  const messageId = message.MessageId ?? 'unknown';
  const attribute = message.MessageAttributes?.[IDEMPOTENCY_ATTRIBUTE]?.StringValue ?? null;
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    return { kind: 'unreadable', id: attribute ?? messageId, reason: 'the message body is not JSON', payload: { body: message.Body ?? null } };
  }
  if (isObj(body) && body.Type === 'Notification' && typeof body.MessageId === 'string' && typeof body.Message === 'string') {
    const snsAttribute = isObj(body.MessageAttributes) && isObj(body.MessageAttributes[IDEMPOTENCY_ATTRIBUTE]) ? body.MessageAttributes[IDEMPOTENCY_ATTRIBUTE].Value : undefined;
    let inner: unknown;
    try {
      inner = JSON.parse(body.Message);
    } catch {
      return { kind: 'unreadable', id: body.MessageId, reason: 'the SNS message is not JSON', payload: body };
    }
    return classify(inner, attribute ?? (typeof snsAttribute === 'string' ? snsAttribute : null) ?? body.MessageId, messageId);
  }
  return classify(body, attribute, messageId);
}

function classify(body: unknown, key: string | null, messageId: string): IncomingEvent {
  if (!isObj(body)) return { kind: 'unreadable', id: key ?? messageId, reason: 'the message must be a JSON object', payload: body };
  if (typeof body['detail-type'] === 'string' && typeof body.source === 'string' && 'detail' in body) {
    if (typeof body.id !== 'string' || !body.id) return { kind: 'unreadable', id: key ?? messageId, reason: 'the EventBridge event has no id', payload: body };
    return {
      kind: 'event',
      event: { id: key ?? body.id, source: body.source, detailType: body['detail-type'], document: { detail: body.detail, event: body } },
      payload: body,
    };
  }
  if ('workflow' in body) {
    const own = typeof body.idempotencyKey === 'string' && body.idempotencyKey ? body.idempotencyKey : null;
    return { kind: 'trigger', id: key ?? own ?? messageId, idempotencyKey: key ?? own ?? messageId, body };
  }
  if ('recipient' in body || 'channels' in body) {
    const { idempotencyKey, ...request } = body;
    const own = typeof idempotencyKey === 'string' && idempotencyKey ? idempotencyKey : null;
    return { kind: 'request', id: key ?? own ?? messageId, idempotencyKey: key ?? own, body: request };
  }
  const id = key ?? (typeof body.id === 'string' && body.id ? body.id : messageId);
  return { kind: 'event', event: { id, document: { event: body } }, payload: body };
}
