import { HttpException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  limit?: number;
  message?: string;
  code?: string;
  encoding?: string;
  charset?: string;
}

const refused = (status: number, code: string, message: string, field?: string, reason?: string) =>
  new HttpException({ code, message, ...(field ? { details: [{ field, reason }] } : {}) }, status);

/**
 * What the body parsers (body-parser, raw-body, zlib) report, as the API's errors. Their own messages are
 * not passed on where they could name internals; the exception filter writes the response.
 */
export function bodyParserException(err: BodyParserError): HttpException | null {
  switch (err.type) {
    case 'entity.too.large':
      return refused(413, 'payload_too_large', `The request body exceeds the limit of ${err.limit} bytes`);
    case 'parameters.too.many':
      return refused(413, 'too_many_parameters', 'The form has too many parameters');
    case 'entity.parse.failed':
      return refused(400, 'malformed_json', `The request body is not valid JSON: ${err.message}`, 'body', 'is not valid JSON');
    case 'querystring.parse.rangeError':
      return refused(400, 'malformed_body', 'The form nests too deeply', 'body', 'is not a valid form');
    case 'encoding.unsupported':
      return refused(415, 'unsupported_content_encoding', `Content-Encoding "${err.encoding ?? ''}" is not supported; use gzip, deflate, br or identity`);
    case 'charset.unsupported':
      return refused(415, 'unsupported_charset', `Charset "${err.charset ?? ''}" is not supported; send UTF-8`);
    case 'request.aborted':
      return refused(400, 'request_aborted', 'The request body ended early');
    case 'request.size.invalid':
      return refused(400, 'malformed_body', 'The request body does not match its Content-Length');
    default:
      break;
  }
  // zlib's errors for a body that does not decompress (a corrupt gzip stream), tagged 400 by body-parser.
  if (err.status === 400 && typeof err.code === 'string' && err.code.startsWith('Z_')) {
    return refused(400, 'malformed_body', 'The request body does not decode with its Content-Encoding', 'body', 'is not valid for its Content-Encoding');
  }
  if (err.expose === true && typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    return refused(err.status, err.status === 415 ? 'unsupported_media_type' : 'malformed_body', 'The request body cannot be read');
  }
  return null;
}

/** The body parsers fail before Nest sees the request: their errors go on, translated, to the exception filter. */
export function bodyErrorsMiddleware(err: BodyParserError, _req: Request, _res: Response, next: NextFunction): void {
  next(bodyParserException(err) ?? err);
}
