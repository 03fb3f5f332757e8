import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const POSTFIX = '/usr/sbin/postfix';
/** Master services this instance does not need (pipes to other software, TLS, LMTP). */
const UNUSED_SERVICES = new Set(['maildrop', 'uucp', 'ifmail', 'bsmtp', 'scalemail-backend', 'mailman', 'lmtp', 'tlsmgr', 'postscreen', 'dnsblog', 'tlsproxy', 'submission', 'smtps']);

/**
 * Why Postfix cannot run here, or null. A test that needs it fails with this reason: it never skips, so a
 * CI machine without Postfix is a red run, not a silently smaller one (`.ci/run` installs it).
 */
export function postfixUnavailable(): string | null {
  if (!existsSync(POSTFIX)) return `Postfix is not installed (${POSTFIX} is missing): apt-get install -y postfix, as .ci/run does`;
  if (process.getuid?.() !== 0) return 'Postfix needs root to start its own instance (its master process binds and drops privileges)';
  return null;
}

/**
 * A private Postfix instance from Debian's package: its own configuration, queue and log under `dir`, listening on
 * 127.0.0.1:`port` only, with strict SMTP settings (HELO required and a fully qualified one, unauthorised pipelining
 * and bare newlines refused). Mail for `domain` is delivered by Postfix's virtual agent into one Maildir;
 * `nobody@domain` is refused with 550.
 */
export class PostfixInstance {
  readonly configDir: string;
  readonly maildir: string;
  readonly logFile: string;

  constructor(
    readonly dir: string,
    readonly port: number,
    readonly domain = 'inbox.test',
  ) {
    this.configDir = join(dir, 'etc');
    this.maildir = join(dir, 'mail', 'inbox');
    this.logFile = join(dir, 'log', 'maillog');
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}?tls=none`;
  }

  async configure(): Promise<void> {
    const [spool, data, mail, log] = ['spool', 'data', 'mail', 'log'].map((d) => join(this.dir, d));
    for (const d of [this.configDir, spool, data, mail, log]) await mkdir(d, { recursive: true });
    // Postfix's daemons run as the postfix user and must reach their directories (mkdtemp makes 0700).
    await chmod(this.dir, 0o755);
    const postfixUser = await idOf('postfix');
    const nobody = await idOf('nobody');
    await chown(data, postfixUser.uid, postfixUser.gid);
    await chown(mail, nobody.uid, nobody.gid);
    const { stdout: version } = await run('/usr/sbin/postconf', ['-d', '-h', 'mail_version']);
    const known = (await run('/usr/sbin/postconf', ['-d'])).stdout;
    const main = [
      'compatibility_level = 3.6',
      `queue_directory = ${spool}`,
      `data_directory = ${data}`,
      'mail_owner = postfix',
      'setgid_group = postdrop',
      `maillog_file = ${this.logFile}`,
      `maillog_file_prefixes = ${log}`,
      'myhostname = mx.herald.test',
      'mydomain = herald.test',
      'myorigin = herald.test',
      'mydestination =',
      'inet_interfaces = 127.0.0.1',
      'inet_protocols = ipv4',
      'mynetworks = 127.0.0.0/8',
      'relayhost =',
      // Never relay and never look anything up outside this machine.
      'default_transport = error:no outbound mail from the test instance',
      'relay_transport = error:no outbound mail from the test instance',
      'smtp_dns_support_level = disabled',
      'smtpd_peername_lookup = no',
      'alias_maps =',
      'alias_database =',
      'biff = no',
      'smtpd_helo_required = yes',
      'smtpd_helo_restrictions = reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname',
      'smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination',
      `smtpd_recipient_restrictions = check_recipient_access inline:{ { nobody@${this.domain} = 550 5.1.1 no such user } }`,
      // Strict, as a hardened MTA is: a client that pipelines without PIPELINING or sends bare LF is refused.
      ...(known.includes('smtpd_forbid_unauth_pipelining') ? ['smtpd_forbid_unauth_pipelining = yes'] : []),
      ...(known.includes('smtpd_forbid_bare_newline ') ? ['smtpd_forbid_bare_newline = yes', 'smtpd_forbid_bare_newline_exclusions ='] : []),
      `virtual_mailbox_domains = ${this.domain}`,
      `virtual_mailbox_base = ${mail}`,
      'virtual_mailbox_maps = static:inbox/',
      `virtual_uid_maps = static:${nobody.uid}`,
      `virtual_gid_maps = static:${nobody.gid}`,
    ];
    await writeFile(join(this.configDir, 'main.cf'), `# Postfix ${version.trim()}, Herald test instance\n${main.join('\n')}\n`);
    // Debian's master.cf with the smtp listener moved to 127.0.0.1:port and no chroot (the instance has no chroot tree).
    const proto = await readFile('/etc/postfix/master.cf.proto', 'utf8');
    const services = proto
      .split('\n')
      .filter((line) => /^[a-z]/.test(line))
      .map((line) => line.split(/\s+/))
      .filter((f) => ['inet', 'unix', 'unix-dgram', 'fifo', 'pass'].includes(f[1]) && !UNUSED_SERVICES.has(f[0]))
      .map((f) => {
        if (f[0] === 'smtp' && f[1] === 'inet') f[0] = `127.0.0.1:${this.port}`;
        f[4] = 'n';
        return f.join('\t');
      });
    await writeFile(join(this.configDir, 'master.cf'), `${services.join('\n')}\n`);
    await this.postfix('check');
  }

  async start(): Promise<void> {
    await this.postfix('start');
    await waitForPort(this.port, true);
  }

  /** Stops the whole mail system: the listener closes and every SMTP session under way is cut. */
  async stop(): Promise<void> {
    await this.postfix('stop');
    await waitForPort(this.port, false);
  }

  /** Every delivered message (one entry per copy), with the value of its `header`. */
  async messages(header = 'X-Herald-Notification-Id'): Promise<Array<{ id: string | undefined; text: string }>> {
    const out: Array<{ id: string | undefined; text: string }> = [];
    for (const sub of ['new', 'cur']) {
      const dir = join(this.maildir, sub);
      if (!existsSync(dir)) continue;
      for (const name of await readdir(dir)) {
        const text = await readFile(join(dir, name), 'latin1');
        const id = new RegExp(`^${header}:\\s*(\\S+)`, 'im').exec(text.split(/\r?\n\r?\n/)[0] ?? '')?.[1];
        out.push({ id, text });
      }
    }
    return out;
  }

  /** The notification id of each delivered message (one entry per copy). */
  async delivered(): Promise<string[]> {
    return (await this.messages()).flatMap((m) => (m.id ? [m.id] : []));
  }

  async message(id: string): Promise<string | undefined> {
    return (await this.messages()).find((m) => m.id === id)?.text;
  }

  log(): Promise<string> {
    return readFile(this.logFile, 'utf8').catch(() => '');
  }

  private async postfix(command: string): Promise<void> {
    try {
      await run(POSTFIX, ['-c', this.configDir, command], { timeout: 60_000 });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`postfix ${command} failed: ${e.stderr || e.message}\n${(await this.log()).slice(-3000)}`);
    }
  }
}

async function idOf(user: string): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', user])).stdout.trim());
  const gid = Number((await run('id', ['-g', user])).stdout.trim());
  return { uid, gid };
}

async function waitForPort(port: number, open: boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const isOpen = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (isOpen === open) return;
    if (Date.now() > deadline) throw new Error(`127.0.0.1:${port} did not ${open ? 'open' : 'close'} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
