export interface HeraldErrorDetail {
  field: string;
  reason: string;
}

/** An answer other than 2xx from Herald, or no answer at all (`HeraldConnectionError`). */
export class HeraldError extends Error {
  override readonly name: string = 'HeraldError';
  /** HTTP status; 0 when no answer came. */
  readonly status: number;
  /** Herald's stable error code (`validation_failed`, `rate_limited`, `not_found`...), or `http_<status>` when the body had none. */
  readonly code: string;
  readonly details: HeraldErrorDetail[];
  /** The X-Request-Id of the failed request, to quote in Herald's logs. */
  readonly requestId: string | null;
  /** The error body as received (parsed JSON, or text). */
  readonly body: unknown;

  constructor(init: { status: number; code: string; message: string; details?: HeraldErrorDetail[]; requestId?: string | null; body?: unknown; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.requestId = init.requestId ?? null;
    this.body = init.body;
  }

  /** Reads Herald's `{ error: { code, message, details? } }`; any other body (a proxy's page) keeps its status. */
  static fromResponse(response: Response, body: unknown): HeraldError {
    const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
    const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
    const text = typeof body === 'string' ? body.trim().slice(0, 200) : '';
    const message = typeof error?.message === 'string' ? error.message : `Herald answered ${response.status}${text ? `: ${text}` : ''}`;
    const details = Array.isArray(error?.details) ? error.details.filter(isDetail) : [];
    const bodyRequestId = typeof error?.requestId === 'string' ? error.requestId : undefined;
    return new HeraldError({ status: response.status, code, message, details, requestId: response.headers.get('X-Request-Id') ?? bodyRequestId ?? null, body });
  }
}

/** The request got no answer (connection refused or reset, DNS failure), after the retries allowed. */
export class HeraldConnectionError extends HeraldError {
  override readonly name: string = 'HeraldConnectionError';

  constructor(cause: unknown) {
    super({ status: 0, code: 'connection_failed', message: `No answer from Herald: ${cause instanceof Error ? cause.message : String(cause)}`, cause });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDetail(value: unknown): value is HeraldErrorDetail {
  return isRecord(value) && typeof value.field === 'string' && typeof value.reason === 'string';
}
