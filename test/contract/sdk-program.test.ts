import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { installedSdk, run, SDK_DIR as SDK } from '../support/installed-sdk';
import { HttpPeer } from '../support/peers/http-peer';
import { expectOrdinaryCode, ROOT, runBin } from './openapi-tools';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'sdk-program', 'program.ts');
const STRICT = ['--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,dom', '--skipLibCheck', 'false'];

/** The built package as an application installs it: node_modules/@herald/sdk. */
describe('@herald/sdk as an application uses it', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await installedSdk();
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the program calling every SDK method is ordinary code: no casts, no non-null assertions, no any', () => {
    expectOrdinaryCode(PROGRAM);
  });

  it('type-checks under tsc --noEmit --strict as a CommonJS and as an ES module program', async () => {
    copyFileSync(PROGRAM, join(dir, 'program.ts'));
    copyFileSync(PROGRAM, join(dir, 'program.mts'));
    for (const file of ['program.ts', 'program.mts']) {
      const checked = await runBin('tsc', [...STRICT, '--module', 'node16', '--moduleResolution', 'node16', file], dir);
      // On failure the output names each line the SDK's types refuse.
      expect({ file, code: checked.code, output: checked.output }).toEqual({ file, code: 0, output: '' });
    }
  }, 240_000);

  it('the built package runs in Node from require and from import, with openapi-fetch its only dependency', async () => {
    expect(Object.keys(JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8')).dependencies)).toEqual(['openapi-fetch']);
    const peer = await HttpPeer.start((req) => ({ status: 200, body: { id: req.url.split('/').pop(), auth: req.headers.authorization } }));
    try {
      const call = (load: string) =>
        `${load}; new Herald({ apiKey: 'k', baseUrl: ${JSON.stringify(peer.url)} }).notifications.get('n-1').then((n) => console.log(JSON.stringify(n)));`;
      const cjs = await run(process.execPath, ['-e', call(`const { Herald } = require('@herald/sdk')`)], dir);
      const esm = await run(process.execPath, ['--input-type=module', '-e', call(`import { Herald } from '@herald/sdk'`)], dir);
      const expected = { code: 0, output: `${JSON.stringify({ id: 'n-1', auth: 'Bearer k' })}\n` };
      expect(cjs).toEqual(expected);
      expect(esm).toEqual(expected);
    } finally {
      await peer.close();
    }
  }, 60_000);
});

describe('the SDK types generated from openapi.json', () => {
  it('are up to date: npm run sdk:types would write the committed file unchanged', async () => {
    const checked = await run('npm', ['run', '--silent', 'sdk:types', '--', '--check'], ROOT);
    // When this fails: run `npm run sdk:types` (or `npm run openapi`, which also writes openapi.json) and commit.
    expect({ code: checked.code, stale: /not up-to-date/.test(checked.output) }).toEqual({ code: 0, stale: false });
  }, 60_000);
});
