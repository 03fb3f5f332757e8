import { parseVonageReceipt } from './vonage-receipt.parser';

describe('Vonage delivery receipt parsing', () => {
  const received = new Date('2026-01-01T00:00:00Z');
  const receipt = (status: string, errCode = '0') => ({
    msisdn: '447700900000',
    to: 'Herald',
    messageId: '0A0000000123ABCD1',
    status,
    'err-code': errCode,
    'client-ref': '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b',
    'message-timestamp': '2026-01-02 03:04:05',
  });

  it('reads delivered, and expired, failed and rejected as undelivered, with the notification from client-ref', () => {
    expect(parseVonageReceipt(receipt('delivered'), received)).toEqual([
      {
        provider: 'vonage',
        eventId: '0A0000000123ABCD1:delivered',
        notificationId: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b',
        providerMessageId: '0A0000000123ABCD1',
        channel: 'sms',
        type: 'delivered',
        permanent: false,
        address: '+447700900000',
        occurredAt: new Date('2026-01-02T03:04:05Z'),
        detail: null,
      },
    ]);
    for (const status of ['expired', 'failed', 'rejected']) {
      expect(parseVonageReceipt(receipt(status, '6'), received)).toEqual([expect.objectContaining({ type: 'undelivered', eventId: `0A0000000123ABCD1:${status}`, detail: `${status}, err-code 6` })]);
    }
  });

  it('ignores accepted, buffered and unknown, and a receipt without a message id', () => {
    for (const status of ['accepted', 'buffered', 'unknown']) expect(parseVonageReceipt(receipt(status), received)).toEqual([]);
    expect(parseVonageReceipt({ ...receipt('delivered'), messageId: '' }, received)).toEqual([]);
  });

  it('falls back on the time received when message-timestamp is missing or unreadable', () => {
    expect(parseVonageReceipt({ ...receipt('delivered'), 'message-timestamp': 'yesterday' }, received)[0].occurredAt).toEqual(received);
  });
});
