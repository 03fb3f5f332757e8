/**
 * Delay before reconnection attempt `attempt` (0 for the first): doubling from `baseMs` up to `maxMs`, with "full
 * jitter" between half and the whole of it, so that many pages cut off together do not come back together.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random, baseMs = 500, maxMs = 30_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
