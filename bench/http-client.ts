import { Agent, request } from 'node:http';

/** A keep-alive HTTP/1.1 client for loopback load: one agent, bounded sockets. */
export class LoopbackClient {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    maxSockets: number,
    private readonly headers: Record<string, string> = {},
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    return this.send('POST', path, Buffer.from(JSON.stringify(body)), headers);
  }

  put(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    return this.send('PUT', path, Buffer.from(JSON.stringify(body)), headers);
  }

  get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    return this.send('GET', path, null, headers);
  }

  private send(method: string, path: string, payload: Buffer | null, headers: Record<string, string>, retried = false): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          method,
          agent: this.agent,
          headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}), ...this.headers, ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed while idle: the request never reached it (Node's documented retry).
        if (!retried && req.reusedSocket && err.code === 'ECONNRESET') this.send(method, path, payload, headers, true).then(resolve, reject);
        else reject(err);
      });
      req.end(payload ?? undefined);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await task(next++);
  });
  await Promise.all(lanes);
}
