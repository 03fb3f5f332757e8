import { addTracking, readTrackingToken, trackableLinks, trackingToken } from './tracking-links';

describe('tracking links', () => {
  const secret = 'tracking-secret';
  const id = '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b';

  it('signs a payload and reads it back; a changed payload, signature or secret is refused', () => {
    const token = trackingToken(secret, { n: id, u: 'https://example.com/a?b=1' });
    expect(readTrackingToken(secret, token)).toEqual({ n: id, u: 'https://example.com/a?b=1' });
    const [body, mac] = token.split('.');
    const other = Buffer.from(JSON.stringify({ n: id, u: 'https://evil.example' })).toString('base64url');
    expect(readTrackingToken(secret, `${other}.${mac}`)).toBeNull();
    expect(readTrackingToken(secret, `${body}.${mac.slice(0, -2)}AA`)).toBeNull();
    expect(readTrackingToken('other', token)).toBeNull();
    expect(readTrackingToken(secret, 'garbage')).toBeNull();
  });

  it('reads only the canonical base64url spelling of the MAC and the payload', () => {
    const token = trackingToken(secret, { n: id, u: 'https://example.com/a' });
    const [body, mac] = token.split('.');
    expect(mac).toHaveLength(43);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // The last of 43 characters carries 2 spare bits: the next letter decodes to the same 32 bytes.
    const sameBytes = mac.slice(0, -1) + alphabet[alphabet.indexOf(mac.slice(-1)) + 1];
    expect(Buffer.from(sameBytes, 'base64url').equals(Buffer.from(mac, 'base64url'))).toBe(true);
    for (const spelling of [sameBytes, `${mac}=`, `${mac}*`, `${mac} `, `${mac.slice(0, 20)}*${mac.slice(20)}`, `${mac}A`]) {
      expect(readTrackingToken(secret, `${body}.${spelling}`)).toBeNull();
    }
    expect(readTrackingToken(secret, `${body}=.${mac}`)).toBeNull();
    expect(readTrackingToken(secret, token)).not.toBeNull();
  });

  it('lists the links a rendered body offers, as the redirect will use them', () => {
    expect(trackableLinks('<a href="https://a.example/x?a=1&amp;b=2">x</a><a href=\'http://b.example\'>y</a><a href="mailto:c@d.e">m</a>')).toEqual(
      new Set(['https://a.example/x?a=1&b=2', 'http://b.example']),
    );
  });

  it('rewrites http(s) links to signed redirects and adds an open pixel before </body>', () => {
    const html = `<html><body><a href="https://example.com/x?a=1&amp;b=2">x</a> <a class="c" href='http://example.org'>y</a> <a href="mailto:a@b.c">m</a></body></html>`;
    const out = addTracking(html, { baseUrl: 'https://herald.example.com/', secret, notificationId: id });
    const links = [...out.matchAll(/href=["']([^"']+)["']/g)].map((m) => m[1]);
    expect(links[2]).toBe('mailto:a@b.c');
    const targets = links.slice(0, 2).map((l) => {
      expect(l.startsWith('https://herald.example.com/t/c/')).toBe(true);
      return readTrackingToken(secret, l.split('/t/c/')[1])?.u;
    });
    expect(targets).toEqual(['https://example.com/x?a=1&b=2', 'http://example.org']);
    expect(out).toMatch(/<img src="https:\/\/herald\.example\.com\/t\/o\/[^"]+" width="1" height="1" alt="" style="display:none"><\/body>/);
    expect(addTracking('<p>hi</p>', { baseUrl: 'https://h', secret, notificationId: id })).toMatch(/^<p>hi<\/p><img src="https:\/\/h\/t\/o\//);
  });
});
