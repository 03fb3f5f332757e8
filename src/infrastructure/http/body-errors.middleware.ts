import type { NextFunction, Request, Response } from 'express';

/** The JSON body parser fails before Nest sees the request; answer in the API's error shape. */
export function bodyErrorsMiddleware(err: { type?: string; status?: number; message?: string }, _req: Request, res: Response, next: NextFunction): void {
  if (err?.type === 'entity.too.large') {
    res.status(413).json({ error: { code: 'payload_too_large', message: `The request body exceeds the limit of ${(err as { limit?: number }).limit} bytes` } });
    return;
  }
  if (err?.type === 'entity.parse.failed') {
    res.status(400).json({ error: { code: 'malformed_json', message: `The request body is not valid JSON: ${err.message}`, details: [{ field: 'body', reason: 'is not valid JSON' }] } });
    return;
  }
  next(err);
}
