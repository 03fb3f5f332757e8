import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const dir = join(__dirname, '..', '..', 'docker', 'prometheus');

/** Runs promtool (Debian's `prometheus` package; `.ci/run` installs it) and fails with its output on a non-zero exit. */
async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: dir });
    return stdout + stderr;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('promtool is not installed: apt-get install --no-install-recommends prometheus (see .ci/run)');
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

describe('Prometheus alert rules (docker/prometheus)', () => {
  it('alerts.yml is valid', async () => {
    expect(await promtool('check', 'rules', 'alerts.yml')).toMatch(/SUCCESS: 8 rules found/);
  });

  it('the example scrape configuration loads the rules', async () => {
    expect(await promtool('check', 'config', 'prometheus.yml')).toMatch(/SUCCESS: 8 rules found/);
  });

  it('every alert fires on the series that should fire it, and only then (alerts.test.yml)', async () => {
    const out = await promtool('test', 'rules', 'alerts.test.yml');
    expect(out).toMatch(/SUCCESS/);
    expect(out).not.toMatch(/FAILED/);
  });
});
