import { isValidVonageSignature, vonageSignature } from './vonage-signature';

// The vectors of Vonage's Node SDK (packages/sms/__tests__/__dataSets__/signature.ts).
const params = {
  'message-timestamp': '2013-11-21 15:27:30',
  messageId: '020000001B0FE827',
  msisdn: '14843472194',
  text: 'Test again',
  timestamp: '1385047698',
  to: '13239877404',
  type: 'text',
};
const secret = 'my_secret_key_for_testing';

describe('Vonage webhook signature', () => {
  it.each([
    ['md5hash', 'D2E7B1DC968737C5998AD624E02F90B7'],
    ['md5', 'DDEBD46008C2D4E93CCE578A332A52D5'],
    ['sha1', '27D0D05C2876C7CB1720DBCDBA4D492E1E55C09A'],
    ['sha256', 'DDB8397C2B90AAC7F3882D306475C9A5058C92322EEF43C92B298B6E0FC0D330'],
    ['sha512', 'E0D3C650F8C9D1A5C174D10DDDBFB003E561F59B265616208B0487C5D819481CD3C311D59CF6165ECD1139622D5BA3A256C0D763AC4A9AD9144B5A426B94FE82'],
  ] as const)('matches the published %s vector, in either case, with sig itself left out', (method, expected) => {
    expect(vonageSignature(secret, method, params)).toBe(expected);
    expect(vonageSignature(secret, method, { ...params, sig: 'anything' })).toBe(expected);
    expect(isValidVonageSignature(secret, method, { ...params, sig: expected.toLowerCase() })).toBe(true);
  });

  it('replaces & and = inside values with _ before signing', () => {
    expect(vonageSignature(secret, 'sha256', { ...params, text: 'a&b=c' })).toBe(vonageSignature(secret, 'sha256', { ...params, text: 'a_b_c' }));
    expect(vonageSignature(secret, 'sha256', { ...params, text: 'a&b=c' })).not.toBe(vonageSignature(secret, 'sha256', params));
  });

  it('refuses a changed parameter, an added one, another secret or method, no signature, no secret', () => {
    const sig = vonageSignature(secret, 'sha256', params);
    expect(isValidVonageSignature(secret, 'sha256', { ...params, sig })).toBe(true);
    expect(isValidVonageSignature(secret, 'sha256', { ...params, status: 'delivered', sig })).toBe(false);
    expect(isValidVonageSignature(secret, 'sha256', { ...params, msisdn: '14843472195', sig })).toBe(false);
    expect(isValidVonageSignature('other', 'sha256', { ...params, sig })).toBe(false);
    expect(isValidVonageSignature(secret, 'sha512', { ...params, sig })).toBe(false);
    expect(isValidVonageSignature(secret, 'sha256', params)).toBe(false);
    expect(isValidVonageSignature('', 'md5hash', { ...params, sig: vonageSignature('', 'md5hash', params) })).toBe(false);
  });
});
