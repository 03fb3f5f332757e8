import { isProviderFailure } from '../../../domain/notification/send-result';
import { classifyWebhook } from './signed-webhook.adapter';

describe('signed webhook answer classification', () => {
  it.each([503, 500, 429, 408])('%s from one receiver is transient and about that destination, not the provider', (status) => {
    const result = classifyWebhook(status, null);
    expect(result).toMatchObject({ outcome: 'transient', scope: 'recipient' });
    expect(isProviderFailure(result)).toBe(false);
  });

  it('a 4xx refusal is permanent', () => {
    expect(classifyWebhook(404, null)).toMatchObject({ outcome: 'permanent', code: 'webhook_404' });
  });
});
