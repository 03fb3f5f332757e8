import { Agent, request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  type: string;
  text: string;
}

/**
 * One HTTP request exactly as given: no Content-Type added, the body sent as bytes, the path not
 * normalised or re-encoded (supertest would add a form Content-Type to a string body).
 */
export function rawRequest(
  base: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer; agent?: Agent },
): Promise<RawResponse> {
  let answered = false;
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
    const headers = { ...options.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) };
    const req = request(`${base}${options.path}`, { method: options.method, headers, agent: options.agent }, (res) => {
      const type = String(res.headers['content-type'] ?? '');
      const done = (text: string) => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, type, text });
      };
      if (type.startsWith('text/event-stream')) {
        // An event stream stays open: its status and headers are the answer.
        done('');
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${options.method} ${options.path} timed out`)));
    // Destroying an event stream after its headers is the expected end, not a failure.
    req.on('error', (err) => (answered ? undefined : reject(err)));
    req.end(body);
  });
}
