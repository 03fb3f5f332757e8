import { createHmac } from 'node:crypto';
import { isValidTwilioSignature, twilioSignature } from './twilio-signature';

const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const hmac = (token: string, data: string) => createHmac('sha1', token).update(data, 'utf8').digest('base64');

describe('Twilio request signature', () => {
  it("matches the published vectors (Twilio's documentation and SDK fixtures)", () => {
    const params = (caller: string) => ({ CallSid: 'CA1234567890ABCDE', Caller: caller, Digits: '1234', From: caller, To: '+18005551212' });
    expect(twilioSignature('12345', url, params('+12349013030'))).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(twilioSignature('12345', url, params('+14158675309'))).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(twilioSignature('12345', url, params('+14158675310'))).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(isValidTwilioSignature('12345', url, params('+12349013030'), '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(true);
  });

  it('signs a repeated parameter as its name with each distinct value, in value order', () => {
    // As the form body Tag=b&Tag=a&Tag=b parses: an array for the repeated name.
    const params = { To: '+18005551212', Tag: ['b', 'a', 'b'], Body: 'hi' };
    const expected = hmac('12345', `${url}BodyhiTagaTagbTo+18005551212`);
    expect(twilioSignature('12345', url, params)).toBe(expected);
    expect(isValidTwilioSignature('12345', url, params, expected)).toBe(true);
    // Neither the values run together nor joined with commas (what a plain string conversion gives).
    expect(isValidTwilioSignature('12345', url, params, hmac('12345', `${url}BodyhiTagbabTo+18005551212`))).toBe(false);
    expect(isValidTwilioSignature('12345', url, params, hmac('12345', `${url}BodyhiTagb,a,bTo+18005551212`))).toBe(false);
  });

  it('refuses another body, URL, token, a missing signature or a missing token', () => {
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
    const good = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';
    expect(isValidTwilioSignature('12345', url, { ...params, Digits: '9' }, good)).toBe(false);
    expect(isValidTwilioSignature('12345', `${url}&x=1`, params, good)).toBe(false);
    expect(isValidTwilioSignature('54321', url, params, good)).toBe(false);
    expect(isValidTwilioSignature('12345', url, params, undefined)).toBe(false);
    expect(isValidTwilioSignature('', url, params, hmac('', `${url}CallSidCA1234567890ABCDECaller+12349013030Digits1234From+12349013030To+18005551212`))).toBe(false);
  });
});
