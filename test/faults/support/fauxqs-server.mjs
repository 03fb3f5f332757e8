// The SQS emulator in its own process, so that a test can kill it and start it again on the same port.
// Usage: node fauxqs-server.mjs <port>. Prints "ready" once it listens. It keeps no state across restarts.
import { startFauxqs } from 'fauxqs';

const port = Number(process.argv[2]);
await startFauxqs({ port, host: '127.0.0.1', logger: false });
process.stdout.write('ready\n');
