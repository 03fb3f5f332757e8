import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { startHerald, type Herald } from '../support/herald-harness';

describe('audit log: suppression changes are recorded with the key that made them', () => {
  let herald: Herald;
  let operator: { id: string; secret: string };

  beforeAll(async () => {
    herald = await startHerald();
    operator = await herald.app.get(CreateApiKey).execute({ name: 'operator', scopes: ['admin'] });
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('records an added and a removed suppression, but not a repeat add that changed nothing, nor a refused removal', async () => {
    const auth = { Authorization: `Bearer ${operator.secret}` };
    await herald.http.post('/v1/suppressions').set(auth).send({ channel: 'email', address: 'gone@example.com', reason: 'asked by phone' }).expect(200);
    expect((await herald.http.post('/v1/suppressions').set(auth).send({ channel: 'email', address: 'gone@example.com' }).expect(200)).body).toEqual({ added: false });
    await herald.http.delete('/v1/suppressions/email/gone@example.com').set(auth).expect(204);
    await herald.http.delete('/v1/suppressions/email/gone@example.com').set(auth).expect(404);

    const log = await herald.http.get('/v1/audit-log?keyId=' + operator.id).set(auth).expect(200);
    expect(log.body.items.map((e: { action: string; target: string; keyId: string; before: unknown; after: unknown }) => [e.action, e.target, e.keyId, e.before, e.after])).toEqual([
      ['suppression.removed', 'suppression:email:gone@example.com', operator.id, { channel: 'email', address: 'gone@example.com' }, null],
      ['suppression.added', 'suppression:email:gone@example.com', operator.id, null, { channel: 'email', address: 'gone@example.com', reason: 'asked by phone' }],
    ]);
    expect((await herald.http.get('/v1/audit-log?action=suppression.added').set(auth).expect(200)).body.items).toHaveLength(1);
  });
});
