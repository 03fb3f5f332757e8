import { randomBytes } from 'node:crypto';

export function emailRequest(overrides: Record<string, unknown> = {}) {
  const tag = randomBytes(3).toString('hex');
  return {
    recipient: { userId: `u-${tag}`, email: `user-${tag}@example.com` },
    channels: ['email'],
    content: { email: { subject: `Your order ${tag} shipped`, text: `Order ${tag} is on its way`, html: `<p>Order ${tag} is on its way</p>` } },
    category: 'orders',
    metadata: { orderId: `o-${tag}` },
    ...overrides,
  };
}
