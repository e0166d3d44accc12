import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { jsonFault } from '@ledger/domain/validation';
import { problem, Problem } from '../core/problem';

/** Routes that take a `text/csv` body; every other route takes JSON only. */
export const CSV_ROUTES: ReadonlySet<string> = new Set(['POST /v1/tasks']);
const CSV = /^(text|application)\/csv\b/i;

/** Longest path segment (a number, an account id, ...); 414 above. */
export const MAX_PARAM_LENGTH = 256;


function sendProblem(reply: FastifyReply, body: Problem): void {
  reply.code(body.status).header('content-type', 'application/problem+json').send(body);
}

/**
 * Fastify's own refusals before any route runs (a bad `%` escape or invalid
 * UTF-8 in the path, a path segment over `MAX_PARAM_LENGTH`) as problem+json.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendProblem(reply, problem('uri_too_long', 414, `a path segment is longer than ${MAX_PARAM_LENGTH} characters`));
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return sendProblem(reply, problem('validation_failed', 400, 'the URL holds a malformed % escape or is not UTF-8'));
  }
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  return sendProblem(reply, problem('validation_failed', status, 'malformed request'));
}

/**
 * Node's HTTP parser refuses a request before Fastify sees it (a request line or
 * headers over 16 KB: 431; garbage: 400); answer those in problem+json as well.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException & { bytesParsed?: number }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const detail = status === 431 ? 'the URL or the headers are larger than 16 KB' : status === 408 ? 'the request took too long' : 'malformed HTTP request';
  const body = JSON.stringify(problem(status === 431 ? 'request_too_large' : status === 408 ? 'timeout' : 'validation_failed', status, detail));
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Before any route runs: a CSV body sent to a JSON route is 415; a body, query
 * or path parameter that is not text the ledger can record (NUL, lone UTF-16
 * surrogates, control characters), too long, or nested too deep is 400. The
 * domain checks each value again where a command is built (SPEC 12); this is
 * the transport's share, so that such input never reaches a controller.
 */
export function refuseHostileInput(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const type = String(request.headers['content-type'] ?? '');
  if (CSV.test(type) && !CSV_ROUTES.has(`${request.method} ${request.routeOptions?.url ?? ''}`)) {
    return sendProblem(reply, problem('unsupported_media_type', 415, 'this route takes application/json'));
  }
  for (const [part, value] of [['path', request.params], ['query', request.query], ['body', CSV.test(type) ? undefined : request.body]] as const) {
    const fault = value === undefined ? null : jsonFault(value);
    if (fault) {
      const field = fault.path === '' ? part : fault.path.length > 120 ? `${fault.path.slice(0, 120)}...` : fault.path;
      return sendProblem(reply, problem('validation_failed', 400, `${field} ${fault.reason}`, { errors: [{ field, message: `${field} ${fault.reason}` }] }));
    }
  }
  done();
}
