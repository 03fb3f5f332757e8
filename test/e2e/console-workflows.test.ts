import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { openConsole, signIn, startConsoleHerald, type ConsoleHerald, type ConsolePage } from '../support/console-browser';
import { ADMIN_KEY, eventually, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const sid = 'AC00000000000000000000000000000017';

describe('the console workflows page in Chromium, against a real Herald', () => {
  let setup: ConsoleHerald;
  let herald: Herald;
  let readerKey: string;
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    setup = await startConsoleHerald(sid, { WORKFLOW_POLL_INTERVAL: '100ms', WORKFLOW_OUTCOME_CHECK_INTERVAL: '200ms' });
    herald = setup.herald;
    readerKey = (await herald.app.get(CreateApiKey).execute({ name: 'workflow-reader', scopes: ['notifications:read'] })).secret;
  });
  afterAll(() => setup?.stop());
  afterEach(async () => {
    for (const c of opened.splice(0)) {
      // No console error, no uncaught exception, no CSP violation, and the key never in a URL.
      expect(c.problems).toEqual([]);
      expect(c.requests.filter((url) => url.includes(ADMIN_KEY) || url.includes(readerKey))).toEqual([]);
      await c.context.close();
    }
  });

  it('lists workflows for a read key, shows a version as readable steps, and the recent runs with their steps and notifications', async () => {
    const key = 'cw-mention';
    await herald.http
      .put(`/v1/workflows/${key}`)
      .set(auth)
      .send({ name: 'Mention', steps: [{ id: 'inapp', type: 'send', channel: 'inapp', content: { title: 'Mentioned', body: 'You were mentioned' } }] })
      .expect(200);
    await herald.http
      .put(`/v1/workflows/${key}`)
      .set(auth)
      .send({
        name: 'Mention',
        steps: [
          { id: 'inapp', type: 'send', channel: 'inapp', content: { title: 'Mentioned', body: 'You were mentioned' } },
          { id: 'unseen', type: 'branch', if: { step: 'inapp', is: 'seen', within: '1s' }, then: 'end' },
          { id: 'email', type: 'send', channel: 'email', content: { subject: 'You were mentioned', text: 'See it' } },
        ],
      })
      .expect(200);
    await herald.http.put('/v1/workflows/cw-digest').set(auth).send({ steps: [{ id: 'collect', type: 'digest', window: '30m', key: '{{payload.postId}}' }, { id: 'send', type: 'send', channel: 'email', content: { subject: '{{digest.count}} comments', text: 'New comments' } }] }).expect(200);
    const trigger = await herald.http.post('/v1/events').set(auth).send({ workflow: key, recipients: [{ userId: 'cw-ada', email: 'cw-ada@example.com' }], payload: {} }).expect(202);
    const runId = trigger.body.runs[0].id as string;
    const done = await eventually(async () => {
      const run = (await herald.http.get(`/v1/workflow-runs/${runId}`).set(auth).expect(200)).body;
      return run.status === 'completed' ? run : undefined;
    }, 20_000, 'the run to complete');
    const emailId = done.steps[2].produced.notifications[0].id as string;

    const { page } = await open(readerKey);
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('heading', { name: 'Workflows' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: key, exact: true }) });
    await row.waitFor();
    expect((await row.locator('td').allInnerTexts()).slice(0, 4)).toEqual([key, 'Mention', '2', '3']);
    await page.getByRole('link', { name: 'cw-digest' }).waitFor();

    await page.getByRole('link', { name: key, exact: true }).click();
    await page.getByRole('heading', { name: `Workflow ${key}` }).waitFor();
    const steps = page.getByRole('list', { name: 'Steps of version 2' }).getByRole('listitem');
    await eventually(async () => ((await steps.count()) === 3 ? true : undefined), 10_000, 'three steps');
    expect(await steps.allInnerTexts()).toEqual([
      'inapp send: sends inapp',
      'unseen branch: if inapp is seen within 1s, goes to end; otherwise to the next step',
      'email send: sends email',
    ]);

    // The run: each step with its state, the branch it took, and links to the notifications it produced.
    const run = page.getByRole('article', { name: new RegExp(runId) });
    await run.waitFor();
    const stepRows = run.getByRole('table', { name: `Steps of run ${runId}` }).locator('tbody tr');
    expect(await stepRows.count()).toBe(3);
    expect(await stepRows.nth(1).locator('td').nth(4).innerText()).toBe('took else, to email');
    await run.getByRole('link', { name: `email notification ${emailId}` }).click();
    await page.getByRole('heading', { name: 'Notification' }).waitFor();
    expect(page.url()).toContain(`#/notifications/${emailId}`);

    // The notification's page names the workflow, the run and the step that made it, and lists the run's others.
    const facts = page.locator('dl.facts').first();
    await facts.getByText(`run ${runId}, step email.`).waitFor();
    await facts.getByRole('link', { name: 'Every notification of this run' }).click();
    await page.getByRole('table').first().waitFor();
    expect(page.url()).toContain(`metadata=workflowRun%3D${runId}`);
    const inappId = done.steps[0].produced.notifications[0].id as string;
    for (const id of [inappId, emailId]) await page.getByRole('link', { name: new RegExp(id) }).first().waitFor();
    expect(await page.locator('tbody tr').count()).toBe(2);
    await page.goBack();
    await page.getByRole('heading', { name: 'Notification' }).waitFor();
    await page.locator('dl.facts').first().getByRole('link', { name: key, exact: true }).click();
    await page.getByRole('heading', { name: `Workflow ${key}` }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Notification' }).waitFor();

    // Version 1, through the list of versions.
    await page.goBack();
    await page.getByRole('link', { name: 'Version 1', exact: true }).click();
    const v1 = page.getByRole('list', { name: 'Steps of version 1' }).getByRole('listitem');
    await eventually(async () => ((await v1.count()) === 1 ? true : undefined), 10_000, 'version 1 with one step');
    expect(page.url()).toContain(`#/workflows/${key}?version=1`);

    await page.goto(`${setup.base}/console/#/workflows/cw-digest`);
    await page.getByRole('list', { name: 'Steps of version 1' }).getByText('collects events for 30m per {{payload.postId}}, then goes on with all of them').waitFor();
    await page.getByText('No run of this workflow yet.').waitFor();
  });

  async function open(key: string): Promise<ConsolePage> {
    const c = await openConsole(setup.browser, setup.base);
    opened.push(c);
    await signIn(c.page, key);
    return c;
  }
});
