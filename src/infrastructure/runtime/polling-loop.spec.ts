import { PollingLoop } from './polling-loop';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('PollingLoop', () => {
  it('runs passes back to back while they ask for no pause', async () => {
    let passes = 0;
    const loop = new PollingLoop({ pass: async () => (++passes < 5 ? 0 : 60_000), onError: () => 0 });
    loop.start();
    while (passes < 5) await tick();
    await loop.stop();
    expect(passes).toBe(5);
  });

  it('stop cuts a long pause short and starts no pass after it', async () => {
    let passes = 0;
    const loop = new PollingLoop({ pass: async () => (passes++, 3_600_000), onError: () => 0 });
    loop.start();
    await tick();
    let timer: NodeJS.Timeout | undefined;
    const stillPaused = new Promise((r) => (timer = setTimeout(() => r('still paused'), 5_000)));
    await expect(Promise.race([loop.stop().then(() => 'stopped'), stillPaused])).resolves.toBe('stopped');
    clearTimeout(timer);
    expect(passes).toBe(1);
    expect(loop.isRunning).toBe(false);
  });

  it('stop waits for the pass under way', async () => {
    const gate = deferred();
    let finished = false;
    const loop = new PollingLoop({
      pass: async () => {
        await gate.promise;
        finished = true;
        return 0;
      },
      onError: () => 0,
    });
    loop.start();
    await tick();
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await tick();
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
  });

  it('counts failures in a row and resets the count after a pass succeeds', async () => {
    const outcomes = ['fail', 'fail', 'ok', 'fail'];
    const seen: number[] = [];
    let i = 0;
    const loop = new PollingLoop({
      pass: async () => {
        const outcome = outcomes[i++];
        if (outcome === undefined) return 3_600_000;
        if (outcome === 'fail') throw new Error('down');
        return 0;
      },
      onError: (err, failures) => {
        expect(err.message).toBe('down');
        seen.push(failures);
        return 0;
      },
    });
    loop.start();
    while (i <= outcomes.length) await tick();
    await loop.stop();
    expect(seen).toEqual([1, 2, 1]);
  });

  it('wake ends a pause, and a wake during a pass skips the next pause', async () => {
    const gate = deferred();
    let passes = 0;
    const loop = new PollingLoop({
      pass: async () => {
        passes++;
        if (passes === 2) await gate.promise;
        return 3_600_000;
      },
      onError: () => 0,
    });
    loop.start();
    await tick();
    expect(passes).toBe(1);
    loop.wake();
    while (passes < 2) await tick();
    loop.wake();
    gate.resolve();
    while (passes < 3) await tick();
    await loop.stop();
    expect(passes).toBe(3);
  });
});
