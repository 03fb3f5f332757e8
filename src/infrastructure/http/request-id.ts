import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const REQUEST_ID_HEADER = 'X-Request-Id';

// An id from a proxy or client is kept when it could not break a log line or a header.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@\-]{1,128}$/;

const ids = new WeakMap<Request, string>();

/** The id of a request: the caller's X-Request-Id when sane, else a new UUID. */
export function requestIdOf(req: Request): string | undefined {
  return ids.get(req);
}

/** First of all middleware, so that every response, refusals included, carries the id. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
  ids.set(req, id);
  res.setHeader(REQUEST_ID_HEADER, id);
  next();
}
