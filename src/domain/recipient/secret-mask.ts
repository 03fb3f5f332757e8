import type { FieldIssue } from '../errors/domain-errors';
import type { ChatDestination, DeviceToken, RecipientProfile } from './recipient-profile';

/**
 * Chat webhook URLs and device tokens are capabilities: whoever holds one can post to the channel or the device.
 * Reads show enough to tell them apart (a URL's origin, the last 4 characters) and never the rest.
 */
const MARK = '…';
const SHOWN = 4;

export function maskSecret(value: string): string {
  const tail = value.length > SHOWN * 3 ? value.slice(-SHOWN) : '';
  let origin = '';
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') origin = `${url.origin}/`;
  } catch {
    // a device token, not a URL
  }
  return `${origin}${MARK}${tail}`;
}

/** True for a value that a read returned masked; never a real URL or token (they carry no ellipsis). */
export function isMasked(value: string): boolean {
  return value.includes(MARK);
}

/** A profile as reads return it: secrets masked, web push keys left out. */
export function maskProfile(profile: RecipientProfile): RecipientProfile {
  return {
    ...profile,
    deviceTokens: profile.deviceTokens.map((t) => ({ token: maskSecret(t.token), platform: t.platform })),
    chatDestinations: profile.chatDestinations.map((d) => ({ ...d, url: maskSecret(d.url) })),
  };
}

/**
 * Read-modify-write: a client that GETs a profile, changes a field and PUTs it back sends the masked values. A
 * masked value stands for the stored secret it masks (same type or platform, same mask); it is never stored. A
 * masked value that matches no stored secret, or several, is refused: the client must send the full value.
 */
export function restoreMaskedSecrets(
  incoming: Pick<RecipientProfile, 'deviceTokens' | 'chatDestinations'>,
  stored: Pick<RecipientProfile, 'deviceTokens' | 'chatDestinations'> | null,
): { ok: true; deviceTokens: DeviceToken[]; chatDestinations: ChatDestination[] } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const unknown = 'is a masked value that matches no stored one (or several); send the full value';
  const chatDestinations = incoming.chatDestinations.map((d, i) => {
    if (!isMasked(d.url)) return d;
    const matches = (stored?.chatDestinations ?? []).filter((s) => s.type === d.type && maskSecret(s.url) === d.url);
    if (matches.length !== 1) issues.push({ field: `chatDestinations[${i}].url`, reason: unknown });
    return { ...d, url: matches[0]?.url ?? d.url };
  });
  const deviceTokens = incoming.deviceTokens.map((t, i) => {
    if (!isMasked(t.token)) return t;
    const matches = (stored?.deviceTokens ?? []).filter((s) => s.platform === t.platform && maskSecret(s.token) === t.token);
    if (matches.length !== 1) {
      issues.push({ field: `deviceTokens[${i}].token`, reason: unknown });
      return t;
    }
    // Reads leave web push keys out, so a round trip without them keeps the stored ones.
    const keys = t.keys ?? matches[0].keys;
    return { token: matches[0].token, platform: t.platform, ...(keys ? { keys } : {}) };
  });
  return issues.length ? { ok: false, issues } : { ok: true, deviceTokens, chatDestinations };
}
