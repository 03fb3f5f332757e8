/**
 * The capacity model of `npm run bench -- --capacity <events/s>` (docs/capacity.md): from the CPU per delivered
 * notification measured by process, the ECS tasks per role and the PostgreSQL vCPU a given rate needs, and which
 * outside limit (PostgreSQL's one writer, SQS, the provider's quota) comes first. Pure arithmetic, no I/O.
 */

export type CapacityChannel = 'email' | 'push';

/** What one end-to-end run of the benchmark measured, per delivered notification. */
export interface MeasuredChannel {
  channel: CapacityChannel;
  delivered: number;
  /** CPU milliseconds per delivered notification, by Herald role (api, relay, worker:email, ...) and `PostgreSQL`. */
  cpuMs: Record<string, number>;
  /** PostgreSQL commits (pg_stat_database.xact_commit) and WAL bytes per delivered notification, when measured. */
  commits?: number | null;
  walBytes?: number | null;
}

export interface CapacityAssumptions {
  /** Notifications per second to carry. */
  eventsPerSecond: number;
  /** Share of each task's and of the database's CPU to plan for (0.6: 40% headroom). */
  utilisation: number;
  /** vCPU per ECS task (a Herald process is one Node.js event loop: 1 vCPU is what it uses). */
  taskVcpu: number;
  /** The largest single PostgreSQL writer considered, in vCPU. */
  dbMaxVcpu: number;
  /** Ids per channel-queue message (RELAY_IDS_PER_MESSAGE) and messages per ReceiveMessage (at most 10). */
  idsPerMessage: number;
  messagesPerReceive: number;
  /** Provider quotas, per second: FCM's per-project default, and the SES account's sending rate if known. */
  fcmPerSecond: number;
  sesPerSecond: number | null;
  /** Stream role CPU per record (ms), when the stream row ran: for events read from DynamoDB Streams. */
  streamMsPerRecord?: number | null;
}

export interface RoleNeed {
  role: string;
  cpuMs: number;
  vcpu: number;
  tasks: number;
}

export interface Limit {
  name: string;
  /** What the rate needs, in the limit's unit, and the limit itself; `ceiling` null when it has no fixed figure. */
  need: number;
  ceiling: number | null;
  unit: string;
  /** Events per second at which the limit is reached (at the planned utilisation for CPU limits). */
  eventsAtCeiling: number | null;
  basis: 'measured' | 'modelled' | 'quota';
  note: string;
}

export interface CapacityPlan {
  channel: CapacityChannel;
  eventsPerSecond: number;
  roles: RoleNeed[];
  dbVcpu: number;
  limits: Limit[];
  /** The limit with the lowest eventsAtCeiling, or null when none has a ceiling. */
  first: Limit | null;
}

/** Roles whose CPU scales with the channel's notifications; the other channel's worker is not one of them. */
export function rolesFor(channel: CapacityChannel): string[] {
  return ['api', 'relay', `worker:${channel}`, 'scheduler'];
}

/** SQS API calls per notification at a given packing: SendMessageBatch (relay), ReceiveMessage and DeleteMessageBatch (worker). */
export function sqsCallsPerNotification(idsPerMessage: number, messagesPerReceive: number): { send: number; receive: number; delete: number; total: number } {
  const send = 1 / (idsPerMessage * 10); // ten messages per SendMessageBatch
  const receive = 1 / (idsPerMessage * messagesPerReceive);
  const del = receive; // one DeleteMessageBatch per receive (at most ten receipt handles, as many as were received)
  return { send, receive, delete: del, total: send + receive + del };
}

export function planCapacity(m: MeasuredChannel, a: CapacityAssumptions): CapacityPlan {
  const E = a.eventsPerSecond;
  const vcpuFor = (ms: number) => (E * ms) / 1000;
  const roles: RoleNeed[] = rolesFor(m.channel).map((role) => {
    const cpuMs = m.cpuMs[`herald ${role}`] ?? m.cpuMs[role] ?? 0;
    const vcpu = vcpuFor(cpuMs);
    return { role, cpuMs, vcpu, tasks: Math.max(1, Math.ceil(vcpu / (a.taskVcpu * a.utilisation))) };
  });
  if (a.streamMsPerRecord) {
    const vcpu = vcpuFor(a.streamMsPerRecord);
    roles.push({ role: 'stream (instead of api, for events from DynamoDB Streams)', cpuMs: a.streamMsPerRecord, vcpu, tasks: Math.max(1, Math.ceil(vcpu / (a.taskVcpu * a.utilisation))) });
  }
  const pgMs = m.cpuMs.PostgreSQL ?? 0;
  const dbVcpu = vcpuFor(pgMs) / a.utilisation;
  const limits: Limit[] = [
    {
      name: 'PostgreSQL, one writer (CPU)',
      need: dbVcpu,
      ceiling: a.dbMaxVcpu,
      unit: 'vCPU',
      eventsAtCeiling: pgMs > 0 ? (a.dbMaxVcpu * a.utilisation * 1000) / pgMs : null,
      basis: 'measured',
      note: `${pgMs.toFixed(3)} ms per notification, at ${Math.round(a.utilisation * 100)}% of the writer`,
    },
  ];
  if (m.commits) limits.push({ name: 'PostgreSQL commits', need: E * m.commits, ceiling: null, unit: '/s', eventsAtCeiling: null, basis: 'measured', note: `${m.commits.toFixed(2)} per notification` });
  if (m.walBytes) limits.push({ name: 'PostgreSQL WAL', need: (E * m.walBytes) / 2 ** 20, ceiling: null, unit: 'MiB/s', eventsAtCeiling: null, basis: 'measured', note: `${Math.round(m.walBytes)} bytes per notification` });
  const sqs = sqsCallsPerNotification(a.idsPerMessage, a.messagesPerReceive);
  const worst = sqsCallsPerNotification(1, 1);
  limits.push({
    name: 'SQS API calls (standard queue)',
    need: E * sqs.total,
    ceiling: null,
    unit: 'calls/s',
    eventsAtCeiling: null,
    basis: 'modelled',
    note: `${sqs.total.toFixed(3)} per notification packed (${a.idsPerMessage} ids a message, ${a.messagesPerReceive} a receive), ${worst.total.toFixed(1)} unpacked; no per-action limit for standard queues`,
  });
  if (m.channel === 'push') {
    limits.push({ name: 'FCM HTTP v1, per project', need: E, ceiling: a.fcmPerSecond, unit: 'messages/s', eventsAtCeiling: a.fcmPerSecond, basis: 'quota', note: 'default quota; can be raised on request' });
  } else {
    limits.push({
      name: 'SES sending rate, per account and region',
      need: E,
      ceiling: a.sesPerSecond,
      unit: 'emails/s',
      eventsAtCeiling: a.sesPerSecond,
      basis: 'quota',
      note: a.sesPerSecond === null ? 'set per account (1/s in the sandbox): ask for at least this rate' : 'the account’s rate as given',
    });
  }
  const bounded = limits.filter((l) => l.eventsAtCeiling !== null);
  const first = bounded.length === 0 ? null : bounded.reduce((lo, l) => (l.eventsAtCeiling! < lo.eventsAtCeiling! ? l : lo));
  return { channel: m.channel, eventsPerSecond: E, roles, dbVcpu, limits, first };
}

/** The plan as plain-text tables, in the style of the benchmark's own table. */
export function formatPlan(p: CapacityPlan, a: CapacityAssumptions): string {
  const n = (v: number | null, digits = 2) => (v === null ? '-' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(digits));
  const table = (header: string[], rows: string[][]) => {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
    return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
  };
  const title = `Capacity for ${p.eventsPerSecond.toLocaleString('en-US')} ${p.channel} notifications/s: ${a.taskVcpu} vCPU per task, planned at ${Math.round(a.utilisation * 100)}% utilisation`;
  const roles = table(
    ['role', 'CPU ms per notification (measured)', 'vCPU busy', 'ECS tasks'],
    [
      ...p.roles.map((r) => [r.role, r.cpuMs.toFixed(3), n(r.vcpu), String(r.tasks)]),
      ['PostgreSQL (writer)', '', `${n(p.dbVcpu)} with headroom`, '-'],
    ],
  );
  const limits = table(
    ['limit', `need at ${p.eventsPerSecond.toLocaleString('en-US')}/s`, 'ceiling', 'reached at (events/s)', 'basis', 'note'],
    p.limits.map((l) => [l.name, `${n(l.need)} ${l.unit}`, l.ceiling === null ? '-' : `${n(l.ceiling)} ${l.unit}`, n(l.eventsAtCeiling, 0), l.basis, l.note]),
  );
  const first = p.first
    ? `First limit: ${p.first.name}, at ${n(p.first.eventsAtCeiling, 0)} events/s${p.first.eventsAtCeiling! <= p.eventsPerSecond ? ` (not above the ${p.eventsPerSecond.toLocaleString('en-US')}/s asked for: no room left)` : ''}.`
    : 'First limit: none with a fixed figure; see the notes.';
  return `${title}\n\n${roles}\n\n${limits}\n\n${first}\n`;
}
