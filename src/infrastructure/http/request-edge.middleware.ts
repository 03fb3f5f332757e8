import type { NextFunction, Request, Response } from 'express';
import { ValidationFailedError, type FieldIssue } from '../../domain/errors/domain-errors';
import { bodyIssue, pathIssue, queryIssues } from './input-safety';

/**
 * Runs after the body parsers and before routing, for every route: the path, the query string and the
 * parsed body must be storable text (no NUL, no lone surrogate, valid escapes), the body must not nest
 * past MAX_BODY_DEPTH, and no query parameter may be given twice. One check here instead of one per DTO.
 */
export function requestEdgeMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const issues: FieldIssue[] = [];
  const path = pathIssue(q === -1 ? url : url.slice(0, q));
  if (path) issues.push(path);
  if (q !== -1) issues.push(...queryIssues(url.slice(q + 1)));
  // An empty body is no body: `{}` read from nothing must not replace a stored record.
  const raw = (req as Request & { rawBody?: Buffer }).rawBody;
  if (raw !== undefined && raw.length === 0) req.body = undefined;
  const body = bodyIssue(req.body);
  if (body) issues.push(body);
  next(issues.length > 0 ? new ValidationFailedError(issues) : undefined);
}
