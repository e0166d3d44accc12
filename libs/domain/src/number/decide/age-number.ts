import { LedgerError } from '../../errors';
import type { AgeNumber, DecisionContext, NumberEvent, NumberRecord } from '../../types';
import { instant, invalidTransition, requireLive } from './common';

/**
 * SPEC 2, "available | aging": the sweeper's AgeNumber. System only; only from
 * `aging`; refused (invalid_state_transition) before `agingUntil` unless
 * `force`. `forced` records that the period had not passed yet.
 */
export function decideAge(e164: string, cmd: AgeNumber, record: NumberRecord, ctx: DecisionContext): NumberEvent[] {
  requireLive(e164, record);
  if (!ctx.requester.isSystem) throw new LedgerError('unauthorized', 'only the system ages numbers');
  if (record.state !== 'aging') throw invalidTransition(record, 'available');
  const due = record.agingUntil ? Date.parse(record.agingUntil) : NaN;
  const notDue = !Number.isNaN(due) && due > ctx.now.getTime();
  if (notDue && !cmd.force) {
    throw invalidTransition(record, 'available', `the aging period lasts until ${record.agingUntil}`);
  }
  return [{ type: 'NumberAged.v1', at: instant(ctx), forced: notDue, features: {} }];
}
