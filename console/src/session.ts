import { Herald, HeraldError } from '../../packages/sdk/src/index';

const STORAGE_KEY = 'herald.console.apiKey';

export interface KeySelf {
  id: string;
  name: string;
  scopes: string[];
}

export interface Session {
  sdk: Herald;
  self: KeySelf;
  /** Redrive, resend: admin keys only (the API refuses them to any other key). */
  canAct: boolean;
}

/** What the key is and may do, from GET /v1/api-keys/self; null when Herald refuses the key. */
async function whoAmI(apiKey: string): Promise<KeySelf | null> {
  const res = await fetch('/v1/api-keys/self', { headers: { Authorization: `Bearer ${apiKey}` } });
  if (res.status === 401) return null;
  if (!res.ok) throw new Error(`GET /v1/api-keys/self: ${res.status}`);
  return (await res.json()) as KeySelf;
}

/** Checks the key and keeps it in this tab's sessionStorage (never in a URL). */
export async function signIn(apiKey: string): Promise<Session | null> {
  const self = await whoAmI(apiKey);
  if (!self) return null;
  sessionStorage.setItem(STORAGE_KEY, apiKey);
  return { sdk: new Herald({ apiKey, baseUrl: location.origin, maxRetries: 0 }), self, canAct: self.scopes.includes('admin') };
}

export function resume(): Promise<Session | null> {
  const key = sessionStorage.getItem(STORAGE_KEY);
  return key ? signIn(key) : Promise.resolve(null);
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

export function messageOf(err: unknown): string {
  if (err instanceof HeraldError) return `${err.status} ${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
