/**
 * Preloaded (-r) into Herald processes when the benchmark profiles them. Nest's shutdown hook closes the
 * application and then raises the signal again; exiting normally on that second signal lets Node write
 * the --cpu-prof profile, which a death by signal would lose.
 */
let signals = 0;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    signals++;
    if (signals > 1) process.exit(0);
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
