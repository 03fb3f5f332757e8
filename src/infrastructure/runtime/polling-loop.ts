export interface PollingLoopOptions {
  /** One pass of work; resolves to how long to pause before the next one (0: go on at once). */
  pass: () => Promise<number>;
  /** A pass that threw: resolves to the pause before the next one, given how many passes in a row have failed. */
  onError: (err: Error, failures: number) => number;
}

/**
 * Runs passes one after another until stopped, pausing between them as each pass asks. Stopping cuts a pause
 * short and waits for the pass under way, so that a loop never outlives its process's connections.
 */
export class PollingLoop {
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private woken = false;
  private wakeUp: (() => void) | null = null;

  constructor(private readonly options: PollingLoopOptions) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.run();
  }

  /** Resolves once the pass under way (if any) has finished; no pass starts after it. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.done;
  }

  /** Ends the current pause now; asked during a pass, the next pause is skipped. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.woken = false;
      let pause: number;
      try {
        pause = await this.options.pass();
        failures = 0;
      } catch (err) {
        failures++;
        pause = this.options.onError(err as Error, failures);
      }
      if (pause > 0 && this.running && !this.woken) await this.sleep(pause);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      const self = this;
      function finish(): void {
        clearTimeout(timer);
        self.wakeUp = null;
        resolve();
      }
      this.wakeUp = finish;
    });
  }
}
