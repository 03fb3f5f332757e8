import type { Channel } from '../../domain/notification/channel';

/** Worker roles exist for channels whose delivery path is implemented. */
export const WORKER_CHANNELS = ['email', 'sms', 'push', 'webpush', 'chat', 'inapp'] as const satisfies readonly Channel[];
export const ROLES = ['api', 'relay', 'scheduler', ...WORKER_CHANNELS.map((c) => `worker:${c}` as const), 'stream', 'intake'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function workerChannels(roles: readonly Role[]): Channel[] {
  return WORKER_CHANNELS.filter((c) => roles.includes(`worker:${c}`));
}

/** Roles that never touch SQS: a process running only these resolves no queue at boot. */
const ROLES_WITHOUT_SQS: readonly Role[] = ['stream'];

/** Whether any of the roles publishes to, consumes, redrives or checks the channel queues (every role but `stream`). */
export function usesChannelQueues(roles: readonly Role[]): boolean {
  return roles.some((r) => !ROLES_WITHOUT_SQS.includes(r));
}

/** Parses HERALD_ROLES. `all` (the default) runs every role in one process. */
export function parseRoles(text: string | undefined): { roles: Role[]; unknown: string[] } {
  const names = (text ?? 'all').split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0 || names.includes('all')) return { roles: [...ROLES], unknown: names.filter((n) => n !== 'all' && !isRole(n)) };
  const unknown = names.filter((n) => !isRole(n));
  return { roles: [...new Set(names.filter(isRole))], unknown };
}
