import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const COMMITTED_DOCUMENT = join(ROOT, 'openapi.json');

export type Json = Record<string, any>;

export function committedDocument(): Json {
  return JSON.parse(readFileSync(COMMITTED_DOCUMENT, 'utf8')) as Json;
}

/** Runs a tool installed in node_modules/.bin; resolves with its exit code and output instead of throwing. */
export function runBin(bin: string, args: string[], cwd = ROOT): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(join(ROOT, 'node_modules', '.bin', bin), args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** A fixture program is ordinary code: no casts, no non-null assertions, no any, no silenced errors. */
export function expectOrdinaryCode(path: string): void {
  const code = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '');
  expect(code).not.toMatch(/\bas\s+(?!const\b)\w/);
  expect(code).not.toMatch(/\w[!]\s*[.[)]/);
  expect(code).not.toMatch(/\bany\b/);
  expect(code).not.toMatch(/@ts-(ignore|expect-error|nocheck)/);
}
