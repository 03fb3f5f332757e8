import { Injectable } from '@nestjs/common';
import { IncomingWebhook, type IncomingWebhookSendArguments } from '@slack/webhook';
import type { SendResult } from '../../../domain/notification/send-result';
import { ChatProvider, type OutgoingChat } from '../../../domain/ports/chat-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { classifyNetworkError, retryAfterMs } from '../http/provider-http';

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

interface SlackWebhookError {
  code?: string;
  original?: { code?: string; message?: string; name?: string; response?: { status: number; data?: unknown; headers?: Record<string, string> } };
}

/**
 * Chat through a Slack incoming webhook (@slack/webhook). Slack takes no idempotency key, so a send whose answer
 * was lost is not repeated. The webhook URL is a secret: it never appears in logs or attempt records.
 */
@Injectable()
export class SlackWebhookAdapter extends ChatProvider {
  readonly name = 'slack';
  readonly type = 'slack' as const;
  readonly idempotent = false;

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  async send(message: OutgoingChat): Promise<SendResult> {
    const webhook = new IncomingWebhook(message.url, { timeout: this.config.channels.routing.requestTimeoutMs });
    try {
      await webhook.send({
        text: message.content.text,
        ...(message.content.blocks ? { blocks: message.content.blocks as IncomingWebhookSendArguments['blocks'] } : {}),
      });
      return { outcome: 'sent' };
    } catch (err) {
      const e = err as SlackWebhookError;
      const response = e.original?.response;
      if (response) return classifySlack(response.status, typeof response.data === 'string' ? response.data : JSON.stringify(response.data ?? ''), response.headers?.['retry-after']);
      const original = e.original ?? {};
      // axios reports its own time limit as ECONNABORTED: the request was sent, the answer never came.
      if (original.code === 'ECONNABORTED' || original.code === 'ETIMEDOUT') return classifyNetworkError('slack', { name: 'TimeoutError' });
      return classifyNetworkError('slack', { code: original.code, message: original.message });
    }
  }
}
