import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMITTED_DOCUMENT, expectOrdinaryCode, ROOT, runBin } from './openapi-tools';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'openapi-client', 'program.ts');

describe('a client generated from openapi.json', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-openapi-client-'));
    copyFileSync(PROGRAM, join(dir, 'program.ts'));
    // openapi-fetch and the TypeScript libraries resolve from the project's own node_modules.
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is ordinary code: no casts, no non-null assertions, no any', () => {
    expectOrdinaryCode(PROGRAM);
  });

  it('type-checks under tsc --strict with types from openapi-typescript', async () => {
    const generated = await runBin('openapi-typescript', [COMMITTED_DOCUMENT, '-o', join(dir, 'herald-api.d.ts')]);
    expect({ code: generated.code, output: generated.code === 0 ? '' : generated.output }).toEqual({ code: 0, output: '' });
    const checked = await runBin(
      'tsc',
      ['--noEmit', '--strict', '--target', 'es2022', '--module', 'node16', '--moduleResolution', 'node16', '--lib', 'es2022,dom', '--types', 'node', 'program.ts'],
      dir,
    );
    // On failure the output names each line of program.ts the generated types refuse.
    expect({ code: checked.code, output: checked.output }).toEqual({ code: 0, output: '' });
  }, 240_000);
});
