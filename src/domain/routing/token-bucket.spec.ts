import { parseRateLimit, TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst up to its capacity, then says how long until the next token', () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 2, capacity: 2 }, () => now);
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(500);
    now = 499;
    expect(bucket.take()).toBe(2);
    now = 500;
    expect(bucket.take()).toBe(0);
  });

  it('does not save up more than its capacity while idle', () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 1, capacity: 1 }, () => now);
    now = 60_000;
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(1000);
  });
});

describe('parseRateLimit', () => {
  it('reads per second, minute and hour', () => {
    expect(parseRateLimit('10/s')).toEqual({ ratePerSecond: 10, capacity: 10 });
    expect(parseRateLimit('600/m')).toEqual({ ratePerSecond: 10, capacity: 10 });
    expect(parseRateLimit('36/h')).toEqual({ ratePerSecond: 0.01, capacity: 1 });
  });

  it.each(['', '10', '0/s', 'ten/s', '10/d'])('refuses %p', (text) => {
    expect(parseRateLimit(text)).toBeNull();
  });
});
