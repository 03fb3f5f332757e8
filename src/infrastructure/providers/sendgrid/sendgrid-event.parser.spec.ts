import { parseSendgridEvents } from './sendgrid-event.parser';

describe('SendGrid delivery event parsing', () => {
  const received = new Date('2026-01-01T00:00:00Z');

  it('reads SendGrid events: blocked bounces are not hard, unknown events are skipped', () => {
    const events = parseSendgridEvents(
      [
        { event: 'bounce', type: 'bounce', sg_event_id: 'e1', sg_message_id: 'abc.filter0001', email: 'a@x', timestamp: 1767225600 },
        { event: 'bounce', type: 'blocked', sg_event_id: 'e2', email: 'a@x' },
        { event: 'spamreport', sg_event_id: 'e3', email: 'a@x', herald_notification_id: 'n-2' },
        { event: 'processed', sg_event_id: 'e4' },
        { event: 'delivered' },
      ],
      received,
    );
    expect(events.map((e) => [e.eventId, e.type, e.permanent, e.providerMessageId, e.notificationId])).toEqual([
      ['e1', 'bounced', true, 'abc', null],
      ['e2', 'bounced', false, null, null],
      ['e3', 'complained', false, null, 'n-2'],
    ]);
    expect(events[0].occurredAt).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(parseSendgridEvents({ not: 'an array' }, received)).toEqual([]);
  });
});
