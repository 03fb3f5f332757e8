import { dispatchMessageBody, notificationIdsOf } from './dispatch-message';

describe('dispatch messages', () => {
  const a = '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b';
  const b = '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6c';

  it('round-trips the notifications of a channel', () => {
    expect(notificationIdsOf(dispatchMessageBody('push', [a, b]), 'push')).toEqual([a, b]);
  });

  it('reads the single-notification form', () => {
    expect(notificationIdsOf(JSON.stringify({ notificationId: a, channel: 'email' }), 'email')).toEqual([a]);
  });

  it('refuses another channel, a malformed id, an empty or oversized list, and what is not JSON', () => {
    expect(notificationIdsOf(dispatchMessageBody('push', [a]), 'email')).toBeNull();
    expect(notificationIdsOf(JSON.stringify({ channel: 'push', notificationIds: [a, 'nope'] }), 'push')).toBeNull();
    expect(notificationIdsOf(JSON.stringify({ channel: 'push', notificationIds: [] }), 'push')).toBeNull();
    expect(notificationIdsOf(JSON.stringify({ channel: 'push', notificationIds: Array(101).fill(a) }), 'push')).toBeNull();
    expect(notificationIdsOf(JSON.stringify({ channel: 'push' }), 'push')).toBeNull();
    expect(notificationIdsOf('null', 'push')).toBeNull();
    expect(notificationIdsOf('this is not a dispatch message', 'push')).toBeNull();
  });
});
