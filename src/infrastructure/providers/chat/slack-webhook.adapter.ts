import { Injectable } from '@nestjs/common';
import type { SendResult } from '../../../domain/notification/send-result';
import { ChatProvider, type OutgoingChat } from '../../../domain/ports/chat-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { callProvider, isHttpFailure, retryAfterMs } from '../http/provider-http';

/**
 * Slack incoming webhook errors (api.slack.com/messaging/webhooks, "Handling errors"). Bodies not listed fall
 * back on the status: 429 and 5xx transient, other 4xx permanent.
 */
const SLACK_ERRORS: Record<string, 'permanent' | 'transient'> = {
  invalid_payload: 'permanent',
  user_not_found: 'permanent',
  channel_not_found: 'permanent',
  channel_is_archived: 'permanent',
  action_prohibited: 'permanent',
  posting_to_general_channel_denied: 'permanent',
  no_service: 'permanent', // the webhook was removed
  no_team: 'permanent',
  no_active_hooks: 'permanent',
  invalid_token: 'permanent',
  too_many_attachments: 'permanent',
  rollup_error: 'transient',
};

export function classifySlack(status: number, body: string, retryAfter: string | undefined): SendResult {
  const text = body.trim().slice(0, 200);
  const kind = SLACK_ERRORS[text] ?? (status === 429 || status >= 500 ? 'transient' : 'permanent');
  const code = `slack_${/^[a-z_]+$/.test(text) ? text : status}`;
  const message = `HTTP ${status} ${text}`.trim();
  if (kind === 'transient') return { outcome: 'transient', code, message, retryAfterMs: retryAfterMs(retryAfter) };
  return { outcome: 'permanent', code, message };
}

@Injectable()
export class SlackWebhookAdapter extends ChatProvider {
  readonly name = 'slack';
  readonly type = 'slack' as const;
  readonly idempotent = false;

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  async send(message: OutgoingChat): Promise<SendResult> {
    const body = JSON.stringify({ text: message.content.text, ...(message.content.blocks ? { blocks: message.content.blocks } : {}) });
    const answer = await callProvider(
      'slack',
      message.url,
      { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body },
      this.config.channels.routing.requestTimeoutMs,
    );
    if (isHttpFailure(answer)) return answer;
    if (answer.status >= 200 && answer.status < 300) return { outcome: 'sent' };
    return classifySlack(answer.status, answer.text, answer.headers.get('retry-after') ?? undefined);
  }
}
