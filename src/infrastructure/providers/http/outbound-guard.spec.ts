import type { LookupAddress } from 'node:dns';
import { checkDestinationUrl, DESTINATION_REFUSED, destinationFieldIssues, guardedLookup, isBlockedAddress, type LookupFunction } from './outbound-guard';

const strict = { allowHttp: false, allowPrivateNetworks: false, slackHosts: ['hooks.slack.com', 'hooks.slack-gov.com'] };
const answering = (...addresses: string[]): LookupFunction => (_h, _o, cb) => cb(null, addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));

describe('outbound guard', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '10.1.2.3', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.251', '255.255.255.255',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd00:ec2::254', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '64:ff9b::a00:1',
  ])('blocks %s', (address) => expect(isBlockedAddress(address)).toBe(true));

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:93.184.216.34'])('lets public %s through', (address) =>
    expect(isBlockedAddress(address)).toBe(false),
  );

  it('reads numeric host forms the way the URL parser does', () => {
    for (const url of ['https://0x7f000001/', 'https://2130706433/', 'https://0177.0.0.1/', 'https://127.1/', 'https://[::ffff:127.0.0.1]/']) {
      expect(checkDestinationUrl(url, strict)).toMatchObject({ code: 'destination_address_refused' });
    }
    expect(checkDestinationUrl('https://hooks.slack.com/services/T/B/X', strict)).toBeNull();
    expect(checkDestinationUrl('http://hooks.slack.com/services/T/B/X', strict)).toMatchObject({ code: 'destination_scheme_refused' });
    expect(checkDestinationUrl('ftp://files.example/', { ...strict, allowHttp: true })).toMatchObject({ code: 'destination_scheme_refused' });
    expect(checkDestinationUrl('https://user:pw@example.com/', strict)).toMatchObject({ code: 'destination_invalid' });
  });

  it('a lookup answers public addresses as asked (one or all) and refuses when any is private', (done) => {
    const lookup = guardedLookup(answering('93.184.216.34', '2606:4700:4700::1111'));
    lookup('example.test', {}, (err: unknown, address: string, family: number) => {
      expect([err, address, family]).toEqual([null, '93.184.216.34', 4]);
      lookup('example.test', { all: true }, (err2: unknown, all: LookupAddress[]) => {
        expect(err2).toBeNull();
        expect(all).toHaveLength(2);
        guardedLookup(answering('93.184.216.34', '10.0.0.5'))('example.test', { all: true }, (err3: NodeJS.ErrnoException) => {
          expect(err3.code).toBe(DESTINATION_REFUSED);
          done();
        });
      });
    });
  });

  it('names each refused stored destination', () => {
    expect(
      destinationFieldIssues(
        {
          chatDestinations: [
            { type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' },
            { type: 'slack', url: 'https://slack.customer.test/services/T/B/X' },
            { type: 'webhook', url: 'http://hooks.customer.test/' },
            { type: 'webhook', url: 'https://169.254.169.254/' },
          ],
          deviceTokens: [{ platform: 'fcm', token: 'not-a-url' }, { platform: 'webpush', token: 'https://[::1]/push' }],
        },
        strict,
        'recipient.',
      ).map((i) => i.field),
    ).toEqual(['recipient.chatDestinations[1].url', 'recipient.chatDestinations[2].url', 'recipient.chatDestinations[3].url', 'recipient.deviceTokens[1].token']);
  });
});
