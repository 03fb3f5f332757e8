import type { Channel } from '../../../domain/notification/channel';
import { emptyPreferences, type Category, type UserPreferences } from '../../../domain/preferences/preference-policy';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import type { PreferenceStore } from '../../../domain/ports/preference-store.port';
import { preferenceStoreWith } from '../../../../test/factories/preference-store';
import { PreferenceDispatchGate } from './preference.dispatch-gate';

/** Only what the gate reads; any other call fails the test. */
function storeWith(data: { categories: Category[]; prefs: UserPreferences[]; addressOptOuts?: Array<[Channel, string]> }): PreferenceStore {
  return preferenceStoreWith(
    {
      getCategories: async (names: string[]) => new Map(data.categories.filter((c) => names.includes(c.name)).map((c) => [c.name, c])),
      getPreferences: async (userIds: string[]) =>
        new Map(userIds.map((u) => [u, data.prefs.find((p) => p.userId === u) ?? emptyPreferences(u)])),
      optedOutAddresses: async (channel: Channel, addresses: string[]) =>
        new Set((data.addressOptOuts ?? []).filter(([c, a]) => c === channel && addresses.includes(a)).map(([, a]) => a)),
    },
    'a dispatch gate',
  );
}

const claimed = (id: string, channel: Channel, category: string | null, recipient: ClaimedNotification['recipient']): ClaimedNotification => ({
  id,
  channel,
  recipient,
  content: {},
  category,
  metadata: {},
  attemptCount: 0,
});

describe('PreferenceDispatchGate', () => {
  const categories: Category[] = [
    { name: 'orders', description: '', critical: false, channelDefaults: {} },
    { name: 'security', description: '', critical: true, channelDefaults: {} },
  ];

  it('suppresses the email of a category the user turned off for email, and lets the push through', async () => {
    const gate = new PreferenceDispatchGate(
      storeWith({ categories, prefs: [{ userId: 'u-1', categories: { orders: { email: false, push: true } }, optedOutChannels: [] }] }),
    );
    const decisions = await gate.evaluate([claimed('n-email', 'email', 'orders', { userId: 'u-1' }), claimed('n-push', 'push', 'orders', { userId: 'u-1' })]);
    expect(decisions.get('n-email')).toEqual({ kind: 'suppress', reason: 'preferences: user u-1 turned off email for category "orders"' });
    expect(decisions.has('n-push')).toBe(false);
  });

  it('sends critical categories despite opt-outs, and stops addresses that replied STOP', async () => {
    const gate = new PreferenceDispatchGate(
      storeWith({
        categories,
        prefs: [{ userId: 'u-2', categories: { security: { sms: false } }, optedOutChannels: ['sms'] }],
        addressOptOuts: [['sms', '+14155550100']],
      }),
    );
    const decisions = await gate.evaluate([
      claimed('critical', 'sms', 'security', { userId: 'u-2', phone: '+14155550100' }),
      claimed('user-opt-out', 'sms', 'orders', { userId: 'u-2' }),
      claimed('stopped-number', 'sms', null, { phone: '+14155550100' }),
      claimed('other-number', 'sms', null, { phone: '+14155550199' }),
    ]);
    expect(decisions.has('critical')).toBe(false);
    expect(decisions.get('user-opt-out')).toEqual({ kind: 'suppress', reason: 'preferences: user u-2 opted out of sms' });
    expect(decisions.get('stopped-number')).toEqual({ kind: 'suppress', reason: 'preferences: +14155550100 opted out of sms' });
    expect(decisions.has('other-number')).toBe(false);
  });
});
