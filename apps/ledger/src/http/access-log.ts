import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/** One structured line per request (method, route, status, duration); the key is never logged. */
export function logRequests(fastify: FastifyInstance, log: Logger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const failed = reply.statusCode >= 500;
    // Asked per request: pino's level may be changed while the service runs.
    if (!log.isLevelEnabled(failed ? 'error' : 'info')) return done();
    const line = {
      requestId: request.id,
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (failed) log.error(line, 'request failed');
    else log.info(line, 'request');
    done();
  });
}
