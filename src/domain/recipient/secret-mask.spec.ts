import { isMasked, maskProfile, maskSecret, restoreMaskedSecrets } from './secret-mask';

describe('secret masking of recipient reads', () => {
  const stored = {
    deviceTokens: [
      { token: 'fcm-token-aaaa-1111', platform: 'fcm' as const },
      { token: 'https://push.example/sub/abcd-2222', platform: 'webpush' as const, keys: { p256dh: 'p', auth: 'a' } },
    ],
    chatDestinations: [
      { type: 'slack' as const, url: 'https://hooks.slack.com/services/T/B/xyz-3333', enabled: true },
      { type: 'webhook' as const, url: 'https://hooks.example/one-4444', enabled: true },
      { type: 'webhook' as const, url: 'https://hooks.example/two-4444', enabled: true },
    ],
  };

  it('shows a URL\'s origin and the last 4 characters, a token\'s last 4, nothing of short values', () => {
    expect(maskSecret('https://hooks.slack.com/services/T/B/xyz-3333')).toBe('https://hooks.slack.com/…3333');
    expect(maskSecret('fcm-token-aaaa-1111')).toBe('…1111');
    expect(maskSecret('short-token')).toBe('…');
    expect(isMasked(maskSecret('fcm-token-aaaa-1111'))).toBe(true);
    const read = maskProfile({ userId: 'u', email: null, phone: null, locale: null, timezone: null, attributes: {}, ...stored });
    expect(read.deviceTokens[1]).toEqual({ token: 'https://push.example/…2222', platform: 'webpush' });
  });

  it('a masked value sent back stands for the stored secret; full values pass as given', () => {
    const restored = restoreMaskedSecrets(
      {
        deviceTokens: [{ token: '…1111', platform: 'fcm' }, { token: 'https://push.example/…2222', platform: 'webpush' }, { token: 'new-token-5555', platform: 'apns' }],
        chatDestinations: [{ type: 'slack', url: 'https://hooks.slack.com/…3333', enabled: false }],
      },
      stored,
    );
    expect(restored).toEqual({
      ok: true,
      deviceTokens: [stored.deviceTokens[0], stored.deviceTokens[1], { token: 'new-token-5555', platform: 'apns' }],
      chatDestinations: [{ ...stored.chatDestinations[0], enabled: false }],
    });
  });

  it('refuses a masked value that matches nothing, matches several, or another type', () => {
    const restored = restoreMaskedSecrets(
      {
        deviceTokens: [{ token: '…1111', platform: 'apns' }],
        chatDestinations: [
          { type: 'webhook', url: 'https://hooks.example/…4444', enabled: true },
          { type: 'slack', url: 'https://hooks.slack.com/…9999', enabled: true },
        ],
      },
      stored,
    );
    expect(restored.ok).toBe(false);
    if (!restored.ok) expect(restored.issues.map((i) => i.field)).toEqual(['chatDestinations[0].url', 'chatDestinations[1].url', 'deviceTokens[0].token']);
    expect(restoreMaskedSecrets({ deviceTokens: [{ token: '…1111', platform: 'fcm' }], chatDestinations: [] }, null).ok).toBe(false);
  });
});
