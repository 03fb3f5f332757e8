import type { SendResult } from '../notification/send-result';
import { failsOver, routeAcross, type ProviderAnswer } from './provider-routing';

const answered = (result: SendResult): ProviderAnswer => ({ kind: 'answered', result });

describe('routeAcross', () => {
  it('stops at the first provider that sends', async () => {
    const called: string[] = [];
    const out = await routeAcross(['a', 'b'], async (p) => {
      called.push(p);
      return answered({ outcome: 'sent', providerMessageId: 'm1' });
    });
    expect(called).toEqual(['a']);
    expect(out.provider).toBe('a');
    expect(out.result).toEqual({ outcome: 'sent', providerMessageId: 'm1' });
  });

  it('fails over on a transient failure and on an open circuit, within the same attempt', async () => {
    const out = await routeAcross(['a', 'b', 'c'], async (p) => {
      if (p === 'a') return answered({ outcome: 'transient', code: 'a_503', message: 'down' });
      if (p === 'b') return { kind: 'skipped', reason: 'circuit_open', retryAfterMs: 1000 };
      return answered({ outcome: 'sent' });
    });
    expect(out.provider).toBe('c');
    expect(out.result.outcome).toBe('sent');
    expect(out.steps.map((s) => s.provider)).toEqual(['a', 'b', 'c']);
  });

  it.each<[string, SendResult]>([
    ['permanent', { outcome: 'permanent', code: 'bad_number', message: 'invalid' }],
    ['dead token', { outcome: 'permanent', code: 'unregistered', message: 'gone', deadAddress: true }],
    ['unknown (a timeout after the request was sent)', { outcome: 'unknown', code: 'timeout', message: 'no answer' }],
  ])('does not fail over after a %s outcome', async (_, result) => {
    const called: string[] = [];
    const out = await routeAcross(['a', 'b'], async (p) => {
      called.push(p);
      return answered(result);
    });
    expect(called).toEqual(['a']);
    expect(out).toMatchObject({ provider: 'a', result });
  });

  it('when every provider fails transiently, the attempt is transient with the earliest Retry-After, named after the last provider called', async () => {
    const out = await routeAcross(['a', 'b'], async (p) =>
      answered({ outcome: 'transient', code: `${p}_429`, message: 'slow down', retryAfterMs: p === 'a' ? 30_000 : 5_000 }),
    );
    expect(out.provider).toBe('b');
    expect(out.result).toMatchObject({ outcome: 'transient', code: 'b_429', retryAfterMs: 5_000 });
    expect((out.result as { message: string }).message).toContain('a: a_429; b: b_429');
  });

  it('when every provider is skipped, no provider answered and the attempt is transient', async () => {
    const out = await routeAcross(['a'], async () => ({ kind: 'skipped', reason: 'rate_limited', retryAfterMs: 250 }));
    expect(out.provider).toBeNull();
    expect(out.result).toEqual({ outcome: 'transient', code: 'no_provider_available', message: 'a: rate_limited', retryAfterMs: 250, notAttempted: true });
  });

  it('a send is not attempted only when no provider was called at all', async () => {
    const skippedThenFailed = await routeAcross(['a', 'b'], async (p) =>
      p === 'a' ? { kind: 'skipped', reason: 'circuit_open', retryAfterMs: 1000 } : answered({ outcome: 'transient', code: 'b_503', message: 'down' }),
    );
    expect(skippedThenFailed.result).toMatchObject({ outcome: 'transient', code: 'b_503' });
    expect((skippedThenFailed.result as { notAttempted?: true }).notAttempted).toBeUndefined();
    const allOpen = await routeAcross(['a', 'b'], async (p) => ({ kind: 'skipped', reason: 'circuit_open', retryAfterMs: p === 'a' ? 4000 : 2000 }));
    expect(allOpen.result).toMatchObject({ outcome: 'transient', code: 'no_provider_available', notAttempted: true, retryAfterMs: 2000 });
  });

  it('with no provider configured the notification fails for good', async () => {
    const out = await routeAcross([], async () => answered({ outcome: 'sent' }));
    expect(out.result).toMatchObject({ outcome: 'permanent', code: 'no_provider_configured' });
  });
});

describe('failsOver', () => {
  it('only on skips and transient failures', () => {
    expect(failsOver({ kind: 'skipped', reason: 'circuit_open' })).toBe(true);
    expect(failsOver(answered({ outcome: 'transient', code: 'x', message: '' }))).toBe(true);
    expect(failsOver(answered({ outcome: 'sent' }))).toBe(false);
    expect(failsOver(answered({ outcome: 'permanent', code: 'x', message: '' }))).toBe(false);
    expect(failsOver(answered({ outcome: 'unknown', code: 'x', message: '' }))).toBe(false);
  });
});
