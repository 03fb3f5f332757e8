import { get, type ClientRequest } from 'node:http';

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/** A minimal EventSource: collects parsed events from an open text/event-stream response. */
export class SseClient {
  readonly events: SseEvent[] = [];
  status = 0;
  contentType = '';
  /** The server ended the response. */
  ended = false;
  private request: ClientRequest | null = null;

  static open(url: string, headers: Record<string, string>): SseClient {
    const client = new SseClient();
    let buffer = '';
    client.request = get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      client.status = res.statusCode ?? 0;
      client.contentType = String(res.headers['content-type'] ?? '');
      res.setEncoding('utf8');
      res.on('end', () => (client.ended = true));
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { event: 'message', data: '' };
          for (const line of block.split('\n')) {
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'event') event.event = value;
            else if (field === 'id') event.id = value;
            else if (field === 'data') event.data += (event.data ? '\n' : '') + value;
          }
          client.events.push(event);
        }
      });
    });
    client.request.on('error', () => undefined);
    return client;
  }

  close(): void {
    this.request?.destroy();
  }
}
