import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (#/feed, #/notifications/<id>): the server serves one page, and nothing sensitive enters the path.
 * The feed takes its filters after a `?` (#/feed?fanoutId=<id>), as GET /v1/notifications names them.
 */
export type Route =
  | { page: 'feed'; filters?: Record<string, string> }
  | { page: 'notification'; id: string }
  | { page: 'failed' }
  | { page: 'templates'; key?: string }
  | { page: 'topics'; key?: string }
  | { page: 'workflows'; key?: string; version?: number }
  | { page: 'recipients'; userId?: string }
  | { page: 'dead-letters' }
  | { page: 'api-keys' }
  | { page: 'audit-log' }
  | { page: 'providers' }
  | { page: 'engagement' }
  | { page: 'suppressions' };

export function parseRoute(hash: string): Route {
  const [path, search] = hash.replace(/^#\/?/, '').split('?', 2);
  const parts = path.split('/').map(decodeURIComponent);
  switch (parts[0]) {
    case 'feed':
      return search ? { page: 'feed', filters: Object.fromEntries(new URLSearchParams(search)) } : { page: 'feed' };
    case 'notifications':
      return parts[1] ? { page: 'notification', id: parts[1] } : { page: 'feed' };
    case 'failed':
      return { page: 'failed' };
    case 'templates':
      return { page: 'templates', key: parts[1] || undefined };
    case 'topics':
      return { page: 'topics', key: parts[1] || undefined };
    case 'workflows': {
      const version = Number(new URLSearchParams(search ?? '').get('version'));
      return { page: 'workflows', key: parts[1] || undefined, ...(parts[1] && Number.isInteger(version) && version > 0 ? { version } : {}) };
    }
    case 'recipients':
      return { page: 'recipients', userId: parts[1] || undefined };
    case 'dead-letters':
      return { page: 'dead-letters' };
    case 'api-keys':
      return { page: 'api-keys' };
    case 'audit-log':
      return { page: 'audit-log' };
    case 'providers':
      return { page: 'providers' };
    case 'engagement':
      return { page: 'engagement' };
    case 'suppressions':
      return { page: 'suppressions' };
    default:
      return { page: 'feed' };
  }
}

export const href = {
  feed: '#/feed',
  /** The feed with these filters of GET /v1/notifications set (an empty one included: `status: ''` is any status). */
  feedWith: (filters: Record<string, string>) => `#/feed?${new URLSearchParams(filters).toString()}`,
  notification: (id: string) => `#/notifications/${encodeURIComponent(id)}`,
  failed: '#/failed',
  templates: (key?: string) => (key ? `#/templates/${encodeURIComponent(key)}` : '#/templates'),
  topics: (key?: string) => (key ? `#/topics/${encodeURIComponent(key)}` : '#/topics'),
  /** A workflow's latest version, or `version`. */
  workflows: (key?: string, version?: number) => (key ? `#/workflows/${encodeURIComponent(key)}${version ? `?version=${version}` : ''}` : '#/workflows'),
  deadLetters: '#/dead-letters',
  apiKeys: '#/api-keys',
  auditLog: '#/audit-log',
  providers: '#/providers',
  engagement: '#/engagement',
  suppressions: '#/suppressions',
  recipient: (userId?: string) => (userId ? `#/recipients/${encodeURIComponent(userId)}` : '#/recipients'),
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
