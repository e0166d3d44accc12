import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { LedgerError } from '@ledger/domain/errors';
import { DuplicateEventIdError, EventStoreUnavailableError } from '@ledger/event-store/port';
import { ProjectionLagError } from '@ledger/projections/projector';
import { ProjectionFailedError } from '@ledger/projections/projection-failure';
import { Problem, problem, problemFromLedgerError } from '../core/problem';
import { ReplayedProblem } from './idempotency.store';

/** Every error leaves as application/problem+json; bad input is never a 500. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(err: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toProblem(err);
    if (body.status >= 500 && body.code !== 'carrier_fault') this.logger.error(err);
    reply.status(body.status).header('content-type', 'application/problem+json').send(body);
  }

  toProblem(err: unknown): Problem {
    if (err instanceof ReplayedProblem) return err.problem;
    if (err instanceof LedgerError) return problemFromLedgerError(err);
    if (err instanceof ProjectionLagError) return problem('unavailable', 503, err.message);
    if (err instanceof ProjectionFailedError) {
      // Names the projection and where it stopped, not the event: that may be another tenant's.
      return problem('unavailable', 503, err.message, { failing: err.failures.map((f) => ({ projection: f.projection, position: f.position })) });
    }
    if (err instanceof DuplicateEventIdError) {
      return problem('idempotency_key_reused', 422, 'these events were already recorded by another request with the same Idempotency-Key');
    }
    if (err instanceof EventStoreUnavailableError || isConnectionError(err)) {
      return problem('unavailable', 503, 'a store is unreachable; nothing was written, retry later');
    }
    if (err instanceof HttpException) return fromHttpException(err);
    const fastify = fromFastifyError(err);
    if (fastify) return fastify;
    return problem('internal', 500, 'unexpected error');
  }
}

/** What the ledger's HttpExceptions carry (`code`, `detail`, `extra`), or Nest's own (`message`, e.g. the validation pipe's list). */
interface HttpExceptionBody {
  code?: string;
  detail?: string;
  extra?: Record<string, unknown>;
  message?: string | string[];
}

/** A Fastify error (FST_*) or a driver's connection error: an Error with a string code. */
interface CodedError { code?: unknown; statusCode?: unknown; message?: string }

function fromHttpException(err: HttpException): Problem {
  const status = err.getStatus();
  const res = err.getResponse() as string | HttpExceptionBody;
  if (typeof res === 'object' && res.code) return problem(res.code, status, res.detail ?? err.message, res.extra ?? {});
  if (status === 400) {
    const message = typeof res === 'object' ? res.message : undefined;
    const messages: string[] = Array.isArray(message) ? message : [String(message ?? err.message)];
    return problem('validation_failed', 400, messages.join('; '), {
      errors: messages.map((m) => ({ field: m.split(' ')[0], message: m })),
    });
  }
  if (status === 404) return problem('not_found', 404, 'no such resource');
  if (status === 401) return problem('unauthenticated', 401, err.message);
  if (status === 403) return problem('unauthorized', 403, err.message);
  if (status === 415) return problem('unsupported_media_type', 415, 'this route takes application/json');
  return problem(status === 413 ? 'payload_too_large' : 'http_error', status, err.message);
}

function fromFastifyError(value: unknown): Problem | null {
  const err = value as CodedError | null;
  if (!err || typeof err !== 'object' || typeof err.code !== 'string' || !err.code.startsWith('FST_')) return null;
  const status = Number(err.statusCode) || 400;
  if (status === 413) return problem('payload_too_large', 413, 'request body is too large');
  if (status === 415) return problem('unsupported_media_type', 415, 'unsupported content type');
  return problem('validation_failed', status < 500 ? status : 400, `malformed request: ${err.message}`);
}

function isConnectionError(value: unknown): boolean {
  const err = value as CodedError | null;
  return !!err && typeof err.code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001'].includes(err.code);
}
