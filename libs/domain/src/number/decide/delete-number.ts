import { isAdmin } from '../../authorization';
import { carrierPolicy } from '../../carrier-policy';
import { LedgerError } from '../../errors';
import type { DecisionContext, DeleteNumber, NumberEvent, NumberRecord } from '../../types';
import { instant, requireLive } from './common';

/**
 * SPEC 3, DeleteNumber (hard delete): admins only, from any state; the number
 * becomes `deleted`. A number held from an upstream carrier (integration
 * module, not merely discovered) is disconnected there first.
 */
export function decideDelete(e164: string, _cmd: DeleteNumber, record: NumberRecord, ctx: DecisionContext): NumberEvent[] {
  requireLive(e164, record);
  if (!isAdmin(ctx)) throw new LedgerError('unauthorized', 'only admins may delete numbers', { number: e164 });
  return [{
    type: 'NumberDeleted.v1',
    at: instant(ctx),
    from: record.state,
    prevAssignedTo: record.assignedTo ?? record.prevAssignedTo,
    disconnectFromCarrier: carrierPolicy(record.carrierModule).integration && record.state !== 'discovery',
  }];
}
