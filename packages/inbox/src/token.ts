/**
 * What a user token (`hut1.<payload>.<signature>`) says about itself, read without checking the signature: only
 * Herald can check it, and the page only needs to know when to ask for a new one and whose inbox it opens.
 */
export function tokenClaims(token: string | null | undefined): { sub: string | null; expiresAt: Date | null } {
  const parts = token?.split('.') ?? [];
  if (parts.length !== 3 || parts[0] !== 'hut1') return { sub: null, expiresAt: null };
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(parts[1].length / 4) * 4, '='));
    const { sub, exp } = JSON.parse(json) as { sub?: unknown; exp?: unknown };
    return { sub: typeof sub === 'string' ? sub : null, expiresAt: typeof exp === 'number' && Number.isFinite(exp) ? new Date(exp * 1000) : null };
  } catch {
    return { sub: null, expiresAt: null };
  }
}
