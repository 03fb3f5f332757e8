import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SDK_DIR = join(__dirname, '..', '..', 'packages', 'sdk');

export function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, output: `${stdout}${stderr}` }));
  });
}

/**
 * The SDK built and installed as an application installs it: a new folder whose node_modules/@herald/sdk is the
 * package (linked). Throws with the build's output when the build fails.
 */
export async function installedSdk(): Promise<string> {
  const built = await run(process.execPath, [join(SDK_DIR, 'scripts', 'build.mjs')], join(SDK_DIR, '..', '..'));
  if (built.code !== 0) throw new Error(`the SDK did not build:\n${built.output}`);
  const dir = mkdtempSync(join(tmpdir(), 'herald-sdk-app-'));
  mkdirSync(join(dir, 'node_modules', '@herald'), { recursive: true });
  symlinkSync(SDK_DIR, join(dir, 'node_modules', '@herald', 'sdk'), 'dir');
  return dir;
}
