import { Writable } from 'node:stream';

/**
 * Keeps every line written to it: a JsonLogger's destination, or the output of a Herald process. `lines` holds the
 * lines that are JSON objects, parsed; `notJson` the others, so that a test can require there be none.
 */
export class LogCapture extends Writable {
  readonly raw: string[] = [];
  readonly lines: Array<Record<string, unknown>> = [];
  readonly notJson: string[] = [];
  private partial = '';

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    const text = this.partial + chunk.toString('utf8');
    const complete = text.split('\n');
    this.partial = complete.pop()!;
    for (const line of complete.filter(Boolean)) this.add(line);
    done();
  }

  override _final(done: () => void): void {
    if (this.partial) this.add(this.partial);
    this.partial = '';
    done();
  }

  private add(line: string): void {
    this.raw.push(line);
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) this.lines.push(parsed as Record<string, unknown>);
    else this.notJson.push(line);
  }
}
