import { parseSesEvent } from './ses-event.parser';

describe('SES delivery event parsing', () => {
  const received = new Date('2026-01-01T00:00:00Z');
  const mail = { messageId: 'ses-1', destination: ['ada@example.com'], headers: [{ name: 'X-Herald-Notification-Id', value: 'n-1' }] };

  it('reads SES events: the notification from the header, one event per bounced or complaining recipient', () => {
    const delivery = parseSesEvent('m1', JSON.stringify({ eventType: 'Delivery', mail, delivery: { timestamp: '2026-01-01T00:00:05Z' } }), received);
    expect(delivery).toEqual([
      expect.objectContaining({ provider: 'ses', eventId: 'm1', notificationId: 'n-1', providerMessageId: 'ses-1', type: 'delivered', occurredAt: new Date('2026-01-01T00:00:05Z') }),
    ]);
    const bounce = parseSesEvent(
      'm2',
      JSON.stringify({ eventType: 'Bounce', mail, bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'a@x' }, { emailAddress: 'b@x' }] } }),
      received,
    );
    expect(bounce.map((e) => [e.eventId, e.type, e.permanent, e.address])).toEqual([
      ['m2:0', 'bounced', true, 'a@x'],
      ['m2:1', 'bounced', true, 'b@x'],
    ]);
    const soft = parseSesEvent('m3', JSON.stringify({ eventType: 'Bounce', mail, bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'a@x' }] } }), received);
    expect(soft[0].permanent).toBe(false);
    // The older notification format, without headers: found by SES message id.
    const complaint = parseSesEvent('m4', JSON.stringify({ notificationType: 'Complaint', mail: { messageId: 'ses-9' }, complaint: { complainedRecipients: [{ emailAddress: 'c@x' }] } }), received);
    expect(complaint[0]).toMatchObject({ type: 'complained', notificationId: null, providerMessageId: 'ses-9', address: 'c@x', occurredAt: received });
    expect(parseSesEvent('m5', JSON.stringify({ eventType: 'Send', mail }), received)).toEqual([]);
    expect(parseSesEvent('m6', 'not json', received)).toEqual([]);
  });
});
