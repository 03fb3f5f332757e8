import { checkRequestRules, contentOrTemplateIssues, type NotificationRequest } from './notification-request';

const request = (overrides: Partial<NotificationRequest>): NotificationRequest => ({ recipient: {}, channels: [], content: {}, ...overrides });

describe('checkRequestRules for the channels beyond email', () => {
  it('asks for each channel\'s address and content', () => {
    const issues = checkRequestRules(request({ channels: ['sms', 'push', 'webpush', 'chat', 'inapp'] }));
    expect(issues.map((i) => i.field)).toEqual([
      'recipient.phone',
      'content.sms',
      'recipient.deviceTokens',
      'content.push',
      'recipient.deviceTokens',
      'content.webpush',
      'recipient.chatDestinations',
      'content.chat',
      'recipient.userId',
      'content.inapp',
    ]);
  });

  it('accepts a userId in place of addresses (read from the profile at send time)', () => {
    const issues = checkRequestRules(
      request({
        recipient: { userId: 'u-1' },
        channels: ['email', 'sms', 'push', 'webpush', 'chat', 'inapp'],
        content: {
          email: { subject: 's', text: 't' },
          sms: { text: 't' },
          push: { title: 't', body: 'b' },
          webpush: { title: 't', body: 'b' },
          chat: { text: 't' },
          inapp: { title: 't', body: 'b' },
        },
      }),
    );
    expect(issues).toEqual([]);
  });

  it('needs the keys of a web push subscription', () => {
    const issues = checkRequestRules(
      request({ recipient: { deviceTokens: [{ token: 'https://push.example/1', platform: 'webpush' }] }, channels: ['webpush'], content: { webpush: { title: 't', body: 'b' } } }),
    );
    expect(issues).toEqual([{ field: 'recipient.deviceTokens[0].keys', reason: expect.stringContaining('p256dh') }]);
  });
});

describe('push data', () => {
  it('carries strings only', () => {
    const issues = checkRequestRules(
      request({ recipient: { userId: 'u' }, channels: ['push'], content: { push: { title: 't', body: 'b', data: { ok: 'yes', count: 3 as unknown as string } } } }),
    );
    expect(issues).toEqual([{ field: 'content.push.data.count', reason: 'must be a string' }]);
  });
});

describe('contentOrTemplateIssues', () => {
  const template = { key: 'welcome', data: {} };

  it('refuses content given with a template, and neither', () => {
    expect(contentOrTemplateIssues({ template, content: { email: { subject: 'S', text: 'T' } } }, 'defined', 'items[1].')).toEqual([
      { field: 'items[1].content', reason: 'must not be given with template (one or the other)' },
    ]);
    expect(contentOrTemplateIssues({}, 'defined')).toEqual([{ field: 'content', reason: 'is required (or template)' }]);
  });

  it('takes null or empty content beside a template as absent', () => {
    expect(contentOrTemplateIssues({ template, content: null }, 'defined')).toEqual([]);
    expect(contentOrTemplateIssues({ template, content: {} }, 'non_empty')).toEqual([]);
  });

  it('counts empty content as given for a direct request, and as missing for a topic notification', () => {
    expect(contentOrTemplateIssues({ content: {} }, 'defined')).toEqual([]);
    expect(contentOrTemplateIssues({ content: {} }, 'non_empty')).toEqual([{ field: 'content', reason: 'is required (or template)' }]);
    expect(contentOrTemplateIssues({ content: null }, 'non_empty')).toEqual([{ field: 'content', reason: 'is required (or template)' }]);
  });
});
