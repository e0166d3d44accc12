import { HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { isPosition, LogPosition } from '@ledger/event-store/port';
import { ProjectionFailedError } from '@ledger/projections/projection-failure';
import { Projector } from '@ledger/projections/projector';

export const POSITION_HEADER = 'x-ledger-position';
const MAX_WAIT_MS = 5000;

/** `minPosition` as the OpenAPI document describes it on every query that takes it. */
export const MIN_POSITION_DOC = 'Wait (at most 5 s, then 503) until the read models have reached this log position (from a write\'s position header); a position past the end of the log is 400.';

/** Sets the log position a command reached on the response (the projector's checkpoint when it appended nothing). */
export function sendPosition(reply: FastifyReply, position: LogPosition | null, projector?: Projector): void {
  const reached = position ?? projector?.checkpoint;
  if (reached !== undefined) reply.header(POSITION_HEADER, reached);
}

/**
 * `?minPosition=`: waits (bounded) until the projections the query `reads` (default: all) have
 * applied that position; 503 at once when one of them stopped before it, 400 when no event
 * is there yet (hostile or mistaken input must not hold a request for the whole wait).
 */
export async function awaitMinPosition(projector: Projector, minPosition: string | undefined, reads?: readonly string[]): Promise<void> {
  if (!minPosition) return;
  if (!isPosition(minPosition)) {
    throw new HttpException({ code: 'validation_failed', detail: 'minPosition must be a log position like "812:4551"' }, 400);
  }
  if (await projector.waitFor(minPosition, 0, reads)) return;
  if (await projector.isPastLog(minPosition)) {
    throw new HttpException({ code: 'validation_failed', detail: `minPosition ${minPosition} is past the end of the log: pass a position a command answered (${POSITION_HEADER})` }, 400);
  }
  const reached = await projector.waitFor(minPosition, MAX_WAIT_MS, reads);
  if (!reached) {
    throw new HttpException({ code: 'unavailable', detail: `projections have not reached ${minPosition} yet; retry` }, 503);
  }
}

/**
 * Runs `resume` (work left unfinished, found in the read models `reads`) once they hold every
 * event committed before the start; never when the projector stops first. A stopped read
 * model resumes what it holds.
 */
export async function resumeWhenCaughtUp<T>(projector: Projector, reads: readonly string[], resume: () => Promise<T>): Promise<T | undefined> {
  const reached = await projector.reachHead(reads).catch((err: unknown) => {
    if (err instanceof ProjectionFailedError) return true;
    throw err;
  });
  return reached ? resume() : undefined;
}
