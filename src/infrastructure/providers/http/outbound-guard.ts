import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { buildConnector } from 'undici';

/**
 * Who may be reached at a URL that a customer gave (a chat destination, a web push endpoint, the status webhook).
 * Development settings: OUTBOUND_ALLOW_HTTP and OUTBOUND_ALLOW_PRIVATE_NETWORKS, both off by default.
 */
export interface OutboundPolicy {
  allowHttp: boolean;
  allowPrivateNetworks: boolean;
  /** Resolves host names; tests inject one that answers a chosen address. */
  lookup?: LookupFunction;
}

export type LookupFunction = (hostname: string, options: LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/** A refused destination: the error code of its send result, and a reason that names no secret part of the URL. */
export interface DestinationRefusal {
  code: 'destination_scheme_refused' | 'destination_address_refused' | 'destination_host_refused' | 'destination_invalid';
  message: string;
}

/** The error code a refused connection carries through undici, so that the caller can tell it from a network failure. */
export const DESTINATION_REFUSED = 'HERALD_DESTINATION_REFUSED';

/**
 * Addresses that no customer destination may resolve to: they reach Herald's own host, its network or the cloud
 * metadata service (IANA special-purpose registries; RFC 6890).
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, and the metadata service at 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local, including AWS's metadata service at fd00:ec2::254
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** An IPv4 address carried inside an IPv6 one (IPv4-mapped, IPv4-compatible, NAT64), whose own range decides. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|::|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const hi = parseInt(hex[1], 16);
  const lo = parseInt(hex[2], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True when an IP address (v4 or v6, no brackets) is loopback, private, link-local, unique-local, metadata or otherwise not public. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4 !== null) return BLOCKED.check(v4, 'ipv4');
    return BLOCKED.check(address, 'ipv6');
  }
  return true; // not an address at all: refuse rather than guess
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * The checks that need no network: scheme, and a literal address in the URL. The WHATWG parser has already turned
 * decimal, octal and hex forms (`http://0x7f000001/`, `http://2130706433/`) into dotted quads. Host names are
 * checked again where it matters, when the connection is made (`guardedConnector`).
 */
export function checkDestinationUrl(url: string, policy: OutboundPolicy): DestinationRefusal | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { code: 'destination_invalid', message: 'the destination is not a valid URL' };
  }
  if (parsed.protocol !== 'https:' && !(policy.allowHttp && parsed.protocol === 'http:')) {
    return { code: 'destination_scheme_refused', message: `destinations must use https (got ${parsed.protocol.replace(/:$/, '')})` };
  }
  if (parsed.username || parsed.password) return { code: 'destination_invalid', message: 'the destination must not carry credentials in its URL' };
  // A fully qualified name may end with a dot ("localhost."); it names the same host.
  const host = unbracket(parsed.hostname).replace(/\.$/, '');
  if (!policy.allowPrivateNetworks) {
    if (isIP(host) && isBlockedAddress(host)) return refusedAddress();
    if (host === 'localhost' || host.endsWith('.localhost')) return refusedAddress();
  }
  return null;
}

function refusedAddress(): DestinationRefusal {
  return { code: 'destination_address_refused', message: 'the destination is a loopback, private, link-local or metadata address' };
}

function refusalError(refusal: DestinationRefusal): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(refusal.message);
  err.code = DESTINATION_REFUSED;
  return err;
}

/**
 * A `lookup` for net/tls.connect that resolves as usual and refuses the connection when any address of the name is
 * blocked: the check happens on the very addresses the socket connects to, so a name that resolves to a public
 * address when stored and to 127.0.0.1 when sent (DNS rebinding) is still refused.
 */
export function guardedLookup(resolve: LookupFunction = dnsLookup as unknown as LookupFunction) {
  return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: (...args: any[]) => void): void => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err);
      if (addresses.length === 0 || addresses.some((a) => isBlockedAddress(a.address))) return callback(refusalError(refusedAddress()));
      if ((options as LookupAllOptions).all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * undici's connector with the address check: literal IPs (which net.connect does not look up) are checked here,
 * names through `guardedLookup`. A refusal is reported through the callback as undici expects of a failed connect,
 * so the pool slot is released like on any connection error.
 */
export function guardedConnector(policy: OutboundPolicy, options: { timeout: number }): buildConnector.connector {
  const connect = buildConnector({ timeout: options.timeout, ...(policy.allowPrivateNetworks ? (policy.lookup ? { lookup: policy.lookup } : {}) : { lookup: guardedLookup(policy.lookup) }) } as buildConnector.BuildOptions);
  return (opts, callback) => {
    const host = unbracket(opts.hostname);
    if (!policy.allowPrivateNetworks && isIP(host) && isBlockedAddress(host)) {
      queueMicrotask(() => callback(refusalError(refusedAddress()), null));
      return;
    }
    connect(opts, callback);
  };
}

/** The customer-given URLs of a recipient: its chat destinations and web push endpoints. */
export interface DestinationHolder {
  chatDestinations?: Array<{ type: string; url: string }>;
  deviceTokens?: Array<{ platform: string; token: string }>;
}

/**
 * The API edge's check of stored destinations (a 400 naming each field), so that a bad URL is refused when it is
 * given rather than failing every send. Names are not resolved here: that check is made at connect time.
 */
export function destinationFieldIssues(holder: DestinationHolder | undefined, policy: OutboundPolicy & { slackHosts: string[] }, prefix = ''): Array<{ field: string; reason: string }> {
  const issues: Array<{ field: string; reason: string }> = [];
  (holder?.chatDestinations ?? []).forEach((d, i) => {
    const refusal = checkDestinationUrl(d.url, policy);
    if (refusal) issues.push({ field: `${prefix}chatDestinations[${i}].url`, reason: refusal.message });
    else if (d.type === 'slack' && !policy.slackHosts.includes(new URL(d.url).hostname.toLowerCase())) {
      issues.push({ field: `${prefix}chatDestinations[${i}].url`, reason: `a slack destination must be on ${policy.slackHosts.join(' or ')}` });
    }
  });
  (holder?.deviceTokens ?? []).forEach((t, i) => {
    if (t.platform !== 'webpush') return;
    const refusal = checkDestinationUrl(t.token, policy);
    if (refusal) issues.push({ field: `${prefix}deviceTokens[${i}].token`, reason: refusal.message });
  });
  return issues;
}
