import { Injectable } from '@nestjs/common';
import type { SendResult } from '../../../domain/notification/send-result';
import { ChatProvider, type OutgoingChat } from '../../../domain/ports/chat-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { callDestination, isHttpFailure, retryAfterMs } from '../http/provider-http';

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

/**
 * Slack answers with a short error name as its body; only names in the table above are taken from it, so an
 * attempt record holds Herald's words and never what the other side wrote.
 */
export function classifySlack(status: number, body: string, retryAfter: string | null): SendResult {
  const name = body.trim();
  const known = Object.prototype.hasOwnProperty.call(SLACK_ERRORS, name) ? name : null;
  const kind = known ? SLACK_ERRORS[known] : status === 429 || status >= 500 ? 'transient' : 'permanent';
  const code = `slack_${known ?? status}`;
  const message = status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}${known ? ` ${known}` : ' from Slack'}`;
  if (kind === 'transient') return { outcome: 'transient', code, message, retryAfterMs: retryAfterMs(retryAfter) };
  return { outcome: 'permanent', code, message };
}

/**
 * Chat through a Slack incoming webhook: a JSON POST to a URL on one of Slack's hosts (SLACK_WEBHOOK_HOSTS), through
 * the same guarded client as every customer-given URL. Slack takes no idempotency key, so a send whose answer was
 * lost is not repeated. The webhook URL is a secret: it never appears in logs or attempt records.
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
    if (!isSlackWebhookUrl(message.url, this.config.outbound.slackHosts)) {
      return { outcome: 'permanent', code: 'destination_host_refused', message: `a slack destination must be on ${this.config.outbound.slackHosts.join(' or ')}` };
    }
    const body = JSON.stringify({ text: message.content.text, ...(message.content.blocks ? { blocks: message.content.blocks } : {}) });
    const answer = await callDestination(
      'slack',
      message.url,
      { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body },
      this.config.channels.routing.requestTimeoutMs,
      this.config.outbound,
    );
    if (isHttpFailure(answer)) return answer;
    if (answer.status >= 200 && answer.status < 300) return { outcome: 'sent' };
    return classifySlack(answer.status, answer.text, answer.headers.get('retry-after'));
  }
}

/** Whether a URL's host is one of Slack's webhook hosts (exact names: a look-alike subdomain does not pass). */
export function isSlackWebhookUrl(url: string, hosts: string[]): boolean {
  try {
    return hosts.includes(new URL(url).hostname.toLowerCase());
  } catch {
    return false;
  }
}
