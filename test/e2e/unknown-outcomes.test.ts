import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import type { HttpPeer } from '../support/peers/http-peer';
import { startTwilioPeer, twilioOnly } from '../support/peers/twilio-peer';

interface Listed {
  items: Array<{ id: string; status: string; channel: string; statusReason: string | null }>;
  nextCursor: string | null;
}

describe('unknown outcomes: listed by status and resent only when the duplicate risk is accepted', () => {
  let herald: Herald;
  let twilio: HttpPeer;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
  const sid = 'AC00000000000000000000000000000009';

  beforeAll(async () => {
    twilio = await startTwilioPeer(sid);
    herald = await startHerald({
      ...twilioOnly(twilio, sid),
      // Twilio receives the request and never answers: after this long the outcome is unknown.
      PROVIDER_REQUEST_TIMEOUT: '1s',
    });
  });
  afterAll(async () => {
    twilio.resume();
    await herald.stop();
    await twilio.close();
  });

  async function sms(phone: string): Promise<string> {
    const res = await herald.http.post('/v1/notifications').set(auth).send({ recipient: { phone }, channels: ['sms'], content: { sms: { text: `Code for ${phone}` } } }).expect(202);
    return res.body.notifications[0].id as string;
  }

  async function status(id: string): Promise<string> {
    return (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body.status as string;
  }

  async function whenStatus(id: string, wanted: string): Promise<void> {
    await eventually(async () => ((await status(id)) === wanted ? true : undefined), 30_000, `notification ${id} ${wanted}`);
  }

  async function listUnknown(query: string): Promise<Listed> {
    return (await herald.http.get(`/v1/notifications?status=unknown${query}`).set(auth).expect(200)).body as Listed;
  }

  it('lists unknown ones page by page, refuses a resend without acceptDuplicateRisk, and resends the named unknown ones through the queue', async () => {
    // One that is sent, then three that Twilio receives and never answers.
    const sent = await sms('+14155550120');
    await whenStatus(sent, 'sent');
    twilio.stall();
    const unknown = [await sms('+14155550121'), await sms('+14155550122'), await sms('+14155550123')];
    for (const id of unknown) await whenStatus(id, 'unknown');
    expect(twilio.received).toHaveLength(4);

    // Two pages of two: every unknown one once, newest first, and nothing else.
    const first = await listUnknown('&limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await listUnknown(`&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.nextCursor).toBeNull();
    const listed = [...first.items, ...second.items];
    expect(listed.map((n) => n.id).sort()).toEqual([...unknown].sort());
    expect(listed.every((n) => n.status === 'unknown' && n.channel === 'sms')).toBe(true);
    expect(listed[0].statusReason).toContain('twilio_timeout');

    // Bad listings are refused.
    for (const query of ['status=bogus', 'status=unknown&channel=fax', 'status=unknown&limit=0', 'status=unknown&limit=501', 'status=unknown&cursor=bm90LWEtY3Vyc29y']) {
      const res = await herald.http.get(`/v1/notifications?${query}`).set(auth).expect(400);
      expect(res.body.error.code).toBe('validation_failed');
    }

    // A key of its own, to see that the history names the key that asked.
    const operator = await herald.app.get(CreateApiKey).execute({ name: 'operator', scopes: ['admin'] });
    const asOperator = { Authorization: `Bearer ${operator.secret}` };
    twilio.resume();
    const answered = twilio.received.length;

    // Without acceptDuplicateRisk: true, a 400 that explains the risk, and nothing changes.
    for (const body of [{ ids: unknown }, { ids: unknown, acceptDuplicateRisk: false }]) {
      const refused = await herald.http.post('/v1/notifications/resend').set(asOperator).send(body).expect(400);
      expect(refused.body.error).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ field: 'acceptDuplicateRisk' })] });
      expect(refused.body.error.details[0].reason).toMatch(/twice/);
    }
    await herald.http.post('/v1/notifications/resend').set(asOperator).send({ ids: ['not-a-uuid'], acceptDuplicateRisk: true }).expect(400);
    for (const id of unknown) expect(await status(id)).toBe('unknown');
    expect(twilio.received).toHaveLength(answered);

    // Two of the unknown ones, the sent one and one that does not exist.
    const missing = '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b';
    const res = await herald.http
      .post('/v1/notifications/resend')
      .set(asOperator)
      .send({ ids: [unknown[0], unknown[1], sent, missing], acceptDuplicateRisk: true })
      .expect(200);
    expect(res.body).toEqual({
      resent: 2,
      items: [
        { id: unknown[0], outcome: 'resent', status: 'queued' },
        { id: unknown[1], outcome: 'resent', status: 'queued' },
        { id: sent, outcome: 'not_resendable', status: 'sent', reason: 'only unknown notifications can be resent; this one is sent' },
        { id: missing, outcome: 'not_found' },
      ],
    });

    for (const id of unknown.slice(0, 2)) {
      await whenStatus(id, 'sent');
      const view = (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body;
      expect(view.history).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'unknown', to: 'queued', reason: `resent by api:${operator.id}, who accepted the risk of a duplicate` })]));
      expect(view.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['unknown', 'sent']);
      // The resend went through the outbox as every send does.
      const outboxRows = await herald.db.query(`SELECT count(*)::int AS n FROM outbox WHERE notification_id = $1`, [id]);
      expect(outboxRows.rows[0].n).toBe(0);
    }
    // Each resent one reached Twilio once more; the sent one and the third unknown one were not touched.
    const to = twilio.received.slice(answered).map((r) => new URLSearchParams(r.text).get('To'));
    expect(to.sort()).toEqual(['+14155550121', '+14155550122']);
    expect(await status(unknown[2])).toBe('unknown');
    expect(await status(sent)).toBe('sent');
    expect((await listUnknown('')).items.map((n) => n.id)).toEqual([unknown[2]]);
  });
});
