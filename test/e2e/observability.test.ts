import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { LogCapture } from '../support/log-capture';
import { parsePrometheusText, sampleValue, type Sample } from '../support/prometheus-text';

describe('observability: /metrics and JSON logs', () => {
  let herald: Herald;
  const logs = new LogCapture();
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    herald = await startHerald({ LOG_LEVEL: 'info' }, { logger: new JsonLogger('info', logs) });
  });
  afterAll(async () => {
    await herald.stop();
  });

  async function scrape(): Promise<Sample[]> {
    const res = await herald.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return parsePrometheusText(res.text);
  }

  async function sendAndWait(body: object, status: string): Promise<string> {
    const res = await herald.http.post('/v1/notifications').set(auth).send(body).expect(202);
    const id = res.body.notifications[0].id as string;
    await eventually(async () => ((await herald.http.get(`/v1/notifications/${id}`).set(auth)).body.status === status ? true : undefined), 20_000, `status ${status}`);
    return id;
  }

  it('serves /metrics without an API key, with process metrics and the roles', async () => {
    const samples = await scrape();
    expect(sampleValue(samples, 'herald_process_info', { roles: [...herald.config.roles].sort().join(',') })).toBe(1);
    expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples.some((s) => s.name === 'herald_outbox_lag_seconds')).toBe(true);
    expect(samples.some((s) => s.name === 'herald_queue_depth' && s.labels.channel === 'email')).toBe(true);
  });

  it('moves the accepted, outcome, attempt and provider latency metrics when a notification is sent', async () => {
    const email = { channel: 'email' };
    const before = await scrape();
    await sendAndWait(emailRequest({ category: 'orders' }), 'sent');
    const after = await eventually(async () => {
      const s = await scrape();
      return sampleValue(s, 'herald_notifications_outcomes_total', { ...email, status: 'sent' }) > sampleValue(before, 'herald_notifications_outcomes_total', { ...email, status: 'sent' }) ? s : undefined;
    }, 10_000, 'sent counter');
    const delta = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta('herald_notifications_accepted_total', { ...email, category: 'orders' })).toBe(1);
    expect(delta('herald_notifications_outcomes_total', { ...email, category: 'orders', provider: 'smtp', status: 'sent' })).toBe(1);
    expect(delta('herald_send_attempts_total', { ...email, provider: 'smtp', outcome: 'sent' })).toBe(1);
    expect(delta('herald_provider_request_duration_seconds_count', { ...email, provider: 'smtp', outcome: 'sent' })).toBe(1);
    expect(delta('herald_http_requests_total', { method: 'POST', route: '/v1/notifications', status: '202' })).toBe(1);
  });

  it('counts a permanent failure and a retried transient failure by provider', async () => {
    const before = await scrape();
    herald.smtp.respond = (mail) => (mail.subject.includes('reject-me') ? { code: 550, message: 'No such user' } : undefined);
    await sendAndWait(emailRequest({ category: 'alerts', content: { email: { subject: 'reject-me', text: 'x' } } }), 'failed');

    let busy = 1;
    herald.smtp.respond = (mail) => (mail.subject.includes('busy-once') && busy-- > 0 ? { code: 451, message: 'Try again later' } : undefined);
    await sendAndWait(emailRequest({ category: 'alerts', content: { email: { subject: 'busy-once', text: 'x' } } }), 'sent');
    herald.smtp.respond = () => undefined;

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta('herald_notifications_outcomes_total', { channel: 'email', category: 'alerts', provider: 'smtp', status: 'failed' })).toBe(1);
    expect(delta('herald_send_attempts_total', { channel: 'email', provider: 'smtp', outcome: 'permanent_failure' })).toBe(1);
    expect(delta('herald_send_attempts_total', { channel: 'email', provider: 'smtp', outcome: 'transient_failure' })).toBe(1);
    expect(delta('herald_retries_scheduled_total', { channel: 'email', provider: 'smtp', cause: 'transient_failure' })).toBe(1);
    expect(delta('herald_notifications_outcomes_total', { channel: 'email', category: 'alerts', provider: 'smtp', status: 'sent' })).toBe(1);
  });

  it('writes JSON lines: sends carry notification id, attempt and provider; requests are logged; no key or content leaks', async () => {
    const secretSubject = 'Private subject 7f3a';
    const secretText = 'Confidential body 91c2';
    const id = await sendAndWait(emailRequest({ content: { email: { subject: secretSubject, text: secretText, html: `<p>${secretText}</p>` } } }), 'sent');

    const send = await eventually(() => logs.lines.find((l) => l.msg === 'send attempt finished' && l.notificationId === id), 5000, 'send log line');
    expect(send).toMatchObject({ notificationId: id, attempt: 1, provider: 'smtp', outcome: 'sent', status: 'sent', level: 30, service: 'herald' });

    const request = logs.lines.find((l) => l.msg === 'http request' && l.route === '/v1/notifications' && l.method === 'POST');
    expect(request).toMatchObject({ status: 202, context: 'Http' });
    expect(typeof request!.durationMs).toBe('number');

    const everything = logs.raw.join('\n');
    expect(everything).not.toContain(ADMIN_KEY);
    expect(everything).not.toContain(secretSubject);
    expect(everything).not.toContain(secretText);
  });

  it('serves /metrics on a worker-only process too, without the relay gauges', async () => {
    const worker = await startHerald({ HERALD_ROLES: 'worker:email' });
    try {
      const res = await worker.http.get('/metrics').expect(200);
      const samples = parsePrometheusText(res.text);
      expect(sampleValue(samples, 'herald_process_info', { roles: 'worker:email' })).toBe(1);
      expect(samples.some((s) => s.name === 'herald_outbox_lag_seconds' || s.name === 'herald_queue_depth')).toBe(false);
    } finally {
      await worker.stop();
    }
  });

  it('redacts credentials and content fields that a log call passes by mistake', () => {
    const sink = new LogCapture();
    const logger = new JsonLogger('info', sink);
    logger.log({ msg: 'oops', authorization: 'Bearer hk_live_abc', email: { subject: 'hello', text: 'body' }, nested: { password: 'p4ss' } }, 'Test');
    const line = sink.lines[0];
    expect(line).toMatchObject({ msg: 'oops', context: 'Test', authorization: '[redacted]', email: { subject: '[redacted]', text: '[redacted]' }, nested: { password: '[redacted]' } });
    expect(sink.raw[0]).not.toContain('hk_live_abc');
    expect(sink.raw[0]).not.toContain('p4ss');
  });
});
