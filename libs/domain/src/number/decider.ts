import type { Decider } from '../decider';
import type { DecisionContext, NumberCommand, NumberEvent, NumberRecord } from '../types';
import { decide } from './decide';
import { evolve, initialNumberRecord } from './evolve';

/** A number command with what it is decided against (instant, requester, account tree, configuration). */
export interface NumberDecision {
  command: NumberCommand;
  ctx: DecisionContext;
}

/** The number aggregate of one number (stream `number-<e164>`) as a decider: see `decide` and `evolve`. */
export function numberDecider(e164: string): Decider<NumberDecision, NumberEvent, NumberRecord> {
  return {
    decide: ({ command, ctx }, state) => decide(e164, command, state, ctx),
    evolve,
    initialState: () => initialNumberRecord(e164),
  };
}
