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
