import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchHerald, spawnHerald } from './herald-launcher';

/** Stand-ins for a Herald entry point: the launcher only sees a process, its output and its exit. */
const dir = mkdtempSync(join(tmpdir(), 'herald-launcher-'));
const script = (name: string, body: string) => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};
const ready = script('ready.js', `console.log('starting ' + process.env.GREETING); console.log('HERALD_READY'); process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); setInterval(() => {}, 1000);`);
const crashes = script('crashes.js', `console.error('cannot start: database down'); process.exit(3);`);

describe('the Herald process launcher', () => {
  it('resolves once the marker is printed, passes the environment, and stops gracefully on SIGTERM', async () => {
    const herald = await launchHerald({ entry: ready, env: { GREETING: 'hello' }, ready: { output: 'HERALD_READY' }, readyTimeoutMs: 30_000 });
    expect(herald.output()).toContain('starting hello');
    await herald.stop();
    expect(await herald.exited).toEqual({ code: 0, signal: null });
    expect(herald.output()).toContain('bye');
  });

  it('rejects with the output when the process exits before it is ready', async () => {
    await expect(launchHerald({ entry: crashes, env: {}, ready: { output: 'HERALD_READY' }, readyTimeoutMs: 30_000 })).rejects.toThrow(/exited with 3 before it was ready:\ncannot start: database down/);
  });

  it('kills with SIGKILL, and gives an isolated environment only PATH besides its own', async () => {
    const printsEnv = script('env.js', `console.log(JSON.stringify(Object.keys(process.env).filter((k) => k !== 'PATH').sort())); setInterval(() => {}, 1000);`);
    const herald = spawnHerald({ entry: printsEnv, env: { ONLY: '1' }, isolatedEnv: true });
    for (let i = 0; i < 300 && !herald.output().includes(']'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(herald.output())).toEqual(['ONLY']);
    await herald.kill();
    expect((await herald.exited).signal).toBe('SIGKILL');
  });
});
