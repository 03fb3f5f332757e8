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

/** Parses HERALD_ROLES. `all` (the default) runs every role in one process. */
export function parseRoles(text: string | undefined): { roles: Role[]; unknown: string[] } {
  const names = (text ?? 'all').split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0 || names.includes('all')) return { roles: [...ROLES], unknown: names.filter((n) => n !== 'all' && !isRole(n)) };
  const unknown = names.filter((n) => !isRole(n));
  return { roles: [...new Set(names.filter(isRole))], unknown };
}
