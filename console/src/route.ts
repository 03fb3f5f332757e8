import { useEffect, useState } from 'preact/hooks';

/** Hash routes (#/feed, #/notifications/<id>): the server serves one page, and nothing sensitive enters the path. */
export type Route =
  | { page: 'feed' }
  | { page: 'notification'; id: string }
  | { page: 'failed' }
  | { page: 'templates'; key?: string }
  | { page: 'recipients'; userId?: string }
  | { page: 'dead-letters' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (parts[0]) {
    case 'notifications':
      return parts[1] ? { page: 'notification', id: parts[1] } : { page: 'feed' };
    case 'failed':
      return { page: 'failed' };
    case 'templates':
      return { page: 'templates', key: parts[1] || undefined };
    case 'recipients':
      return { page: 'recipients', userId: parts[1] || undefined };
    case 'dead-letters':
      return { page: 'dead-letters' };
    default:
      return { page: 'feed' };
  }
}

export const href = {
  feed: '#/feed',
  notification: (id: string) => `#/notifications/${encodeURIComponent(id)}`,
  failed: '#/failed',
  templates: (key?: string) => (key ? `#/templates/${encodeURIComponent(key)}` : '#/templates'),
  deadLetters: '#/dead-letters',
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
