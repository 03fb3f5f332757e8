import { parseTwilioStatus } from './twilio-status.parser';

describe('Twilio status callback parsing', () => {
  const received = new Date('2026-01-01T00:00:00Z');

  it('reads Twilio final statuses only', () => {
    expect(parseTwilioStatus({ MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30003', To: '+1555' }, received)).toEqual([
      expect.objectContaining({ eventId: 'SM1:undelivered', type: 'undelivered', providerMessageId: 'SM1', channel: 'sms', detail: 'error 30003' }),
    ]);
    expect(parseTwilioStatus({ MessageSid: 'SM1', MessageStatus: 'sent' }, received)).toEqual([]);
  });

  it('names the notification the status callback URL named, else leaves it to the MessageSid', () => {
    expect(parseTwilioStatus({ MessageSid: 'SM1', MessageStatus: 'delivered' }, received, 'n-1')).toEqual([expect.objectContaining({ notificationId: 'n-1', providerMessageId: 'SM1' })]);
    expect(parseTwilioStatus({ MessageSid: 'SM1', MessageStatus: 'delivered' }, received)).toEqual([expect.objectContaining({ notificationId: null })]);
  });
});
