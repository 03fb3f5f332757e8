/** The notifications the benchmark sends: one email each, the same shape for Herald and for the baselines. */
export function emailRequest(tag: string, i: number) {
  return {
    recipient: { userId: `u-${tag}-${i}`, email: `u-${tag}-${i}@bench.test` },
    channels: ['email'],
    content: { email: { subject: `Order ${tag}-${i} shipped`, text: `Order ${tag}-${i} is on its way. Track it in your account.` } },
    category: 'bench',
    metadata: { orderId: `o-${tag}-${i}` },
  };
}

export type EmailRequest = ReturnType<typeof emailRequest>;

/** The Firebase project the push peer and Herald's FCM adapter use. */
export const FCM_PROJECT = 'herald-bench';

/** A push notification to one FCM device token, the same shape for Herald and for the raw HTTP baseline. */
export function pushRequest(tag: string, i: number) {
  return {
    recipient: { userId: `u-${tag}-${i}`, deviceTokens: [{ token: `fcm-${tag}-${i}`, platform: 'fcm' as const }] },
    channels: ['push'],
    content: { push: { title: `Order ${tag}-${i} shipped`, body: 'It is on its way.', data: { orderId: `o-${tag}-${i}` } } },
    category: 'bench',
    metadata: { orderId: `o-${tag}-${i}` },
  };
}

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function latencySummary(values: number[]): { p50: number | null; p95: number | null; p99: number | null; max: number | null } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? null };
}
