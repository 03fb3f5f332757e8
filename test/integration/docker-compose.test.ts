import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse } from 'yaml';
import { loadConfig } from '../../src/infrastructure/config/load-config';
import { ROLES } from '../../src/infrastructure/config/roles';

/**
 * docker/docker-compose.yml cannot be started here (no Docker engine): these tests check its structure, that
 * each Herald service's environment is a valid configuration for its role, and that the Prometheus,
 * Alertmanager and Grafana files it mounts exist and fit together.
 */
const root = join(__dirname, '..', '..');
const docker = join(root, 'docker');
const run = promisify(execFile);

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: unknown;
};
const compose = parse(readFileSync(join(docker, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const heraldServices = Object.entries(compose.services).filter(([, s]) => s.environment?.HERALD_ROLES !== undefined);

/** Every metric name Herald registers (`name: 'herald_...'` in src), and prom-client's default process metrics. */
function exportedMetricNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.spec.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/name: '(herald_[a-z_]+)'/g)) names.add(m[1]);
      }
    }
  };
  walk(join(root, 'src'));
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const m of registry.getMetricsAsArray()) names.add(m.name);
  return names;
}

describe('docker/docker-compose.yml', () => {
  it('runs every role, each channel worker included, from the one image', () => {
    const roles = heraldServices.map(([, s]) => s.environment!.HERALD_ROLES).sort();
    expect(roles).toEqual([...ROLES].sort());
    for (const [, s] of heraldServices) {
      expect(s.image).toBe('herald:compose');
      expect(s.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    }
    expect(existsSync(join(docker, 'Dockerfile'))).toBe(true);
  });

  it("gives each Herald service an environment that Herald's configuration accepts for its role", () => {
    const problems: string[] = [];
    for (const [name, s] of heraldServices) {
      const env = Object.fromEntries(Object.entries(s.environment!).map(([k, v]) => [k, String(v)]));
      try {
        expect(loadConfig(env).roles).toEqual([env.HERALD_ROLES]);
      } catch (err) {
        problems.push(`${name}: ${(err as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has Postgres, the SQS emulator, Prometheus, Alertmanager and Grafana', () => {
    for (const name of ['postgres', 'sqs', 'mailpit', 'prometheus', 'alertmanager', 'grafana']) expect(Object.keys(compose.services)).toContain(name);
    expect(compose.services.sqs.environment).toMatchObject({ FAUXQS_PORT: '4566' });
    for (const [, s] of heraldServices) expect(s.environment!.SQS_ENDPOINT).toBe('http://sqs:4566');
  });

  it('mounts only files that exist', () => {
    const mounts = Object.values(compose.services).flatMap((s) => (s.volumes ?? []).filter((v) => v.startsWith('./')));
    expect(mounts.length).toBeGreaterThanOrEqual(6);
    for (const mount of mounts) expect({ mount, exists: existsSync(join(docker, mount.split(':')[0])) }).toEqual({ mount, exists: true });
  });

  it('has Prometheus scrape every Herald service, load alerts.yml and send to Alertmanager (promtool check config)', async () => {
    const mounted = compose.services.prometheus.volumes!.map((v) => v.split(':'));
    expect(mounted).toContainEqual(['./prometheus/alerts.yml', '/etc/prometheus/alerts.yml', 'ro']);
    const configFile = mounted.find(([, target]) => target === '/etc/prometheus/prometheus.yml')![0];
    const config = parse(readFileSync(join(docker, configFile), 'utf8')) as {
      rule_files: string[];
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
      scrape_configs: Array<{ job_name: string; dns_sd_configs: Array<{ names: string[]; port: number }> }>;
    };
    expect(config.rule_files).toEqual(['alerts.yml']);
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager:9093']);
    // HeraldProcessDown is written for job="herald".
    const herald = config.scrape_configs.find((c) => c.job_name === 'herald')!;
    expect(herald.dns_sd_configs[0].names.sort()).toEqual(heraldServices.map(([name]) => name).sort());
    expect(herald.dns_sd_configs[0].port).toBe(3000);
    const { stdout } = await run('promtool', ['check', 'config', configFile.replace('./prometheus/', '')], { cwd: join(docker, 'prometheus') });
    expect(stdout).toMatch(/SUCCESS: 8 rules found/);
  });

  it('has Alertmanager route every alert to a receiver that mails Mailpit', () => {
    const am = parse(readFileSync(join(docker, 'alertmanager', 'alertmanager.yml'), 'utf8')) as {
      global: { smtp_smarthost: string };
      route: { receiver: string; routes?: Array<{ receiver: string }> };
      receivers: Array<{ name: string; email_configs?: unknown[] }>;
    };
    const receivers = new Set(am.receivers.map((r) => r.name));
    for (const r of [am.route.receiver, ...(am.route.routes ?? []).map((x) => x.receiver)]) expect(receivers).toContain(r);
    expect(am.global.smtp_smarthost).toBe('mailpit:1025');
  });

  it('provisions Grafana with the Prometheus data source and the Herald dashboard', () => {
    const volumes = compose.services.grafana.volumes!.map((v) => v.split(':'));
    const datasources = parse(readFileSync(join(docker, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as { datasources: Array<{ type: string; url: string; isDefault: boolean }> };
    expect(datasources.datasources).toEqual([expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true })]);
    const providers = parse(readFileSync(join(docker, 'grafana/provisioning/dashboards/herald.yml'), 'utf8')) as { providers: Array<{ options: { path: string } }> };
    const dashboardMount = volumes.find(([source]) => source === './grafana/herald-dashboard.json')!;
    expect(dashboardMount[1].startsWith(`${providers.providers[0].options.path}/`)).toBe(true);
    expect(compose.services.grafana.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(dashboardMount[1]);
  });
});

describe('docker/grafana/herald-dashboard.json', () => {
  const dashboard = JSON.parse(readFileSync(join(docker, 'grafana', 'herald-dashboard.json'), 'utf8')) as {
    panels: Array<{ title: string; type: string; targets?: Array<{ expr: string }> }>;
  };
  const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

  it('queries only metrics that Herald exports', () => {
    const exported = exportedMetricNames();
    expect(exported).toContain('herald_queue_depth');
    expect(exported).toContain('process_resident_memory_bytes');
    const unknown: string[] = [];
    for (const { panel, expr } of exprs) {
      // Metric names: identifiers not followed by "(" (functions) and not inside {...} or by (...) label lists.
      const stripped = expr.replace(/\{[^}]*\}/g, '').replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '').replace(/\[[^\]]*\]/g, '');
      for (const m of stripped.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)) {
        const name = m[1];
        if (/^(and|or|unless|bool|le|[0-9.]+)$/.test(name)) continue;
        const base = name.replace(/_(bucket|sum|count)$/, '');
        if (!exported.has(name) && !exported.has(base)) unknown.push(`${panel}: ${name}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('shows queue depth, sent per channel, attempt outcomes, breaker state and provider latency', () => {
    const all = exprs.map((e) => e.expr).join('\n');
    expect(all).toContain('herald_queue_depth');
    expect(all).toMatch(/sum by \(channel\) \(rate\(herald_notifications_outcomes_total\{[^}]*status="sent"/);
    expect(all).toMatch(/sum by \(provider, outcome\) \(rate\(herald_send_attempts_total/);
    expect(all).toContain('herald_circuit_breaker_state');
    expect(all).toContain('herald_provider_request_duration_seconds_bucket');
  });
});
