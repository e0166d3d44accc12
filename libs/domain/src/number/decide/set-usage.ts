import { isAdmin } from '../../authorization';
import { LedgerError } from '../../errors';
import { SERVICE_TYPES, type DecisionContext, type NumberEvent, type NumberRecord, type SetUsage, type UsageRef } from '../../types';
import { usageInLineage } from '../../tenancy/service-numbers';
import { instant, requireLive } from './common';

const key = (u: UsageRef): string => `${u.type}\u0000${u.accountId}\u0000${u.id}`;

/**
 * SetUsage (SPEC 7): the services that use the number, set to exactly the
 * given list (duplicates removed, order normalized), less the services of
 * accounts outside its owner's lineage (SPEC 12). Admins only (the
 * provisioning feed and the audit). Unchanged: no events.
 */
export function decideSetUsage(e164: string, cmd: SetUsage, record: NumberRecord, ctx: DecisionContext): NumberEvent[] {
  requireLive(e164, record);
  if (!isAdmin(ctx)) throw new LedgerError('unauthorized', 'only the system records number usage', { number: e164 });
  if (!Array.isArray(cmd.usedBy)) throw new LedgerError('validation_failed', 'usedBy must be a list', { field: 'usedBy' });
  for (const u of cmd.usedBy) {
    if (!u || !(SERVICE_TYPES as readonly string[]).includes(u.type) || typeof u.id !== 'string' || u.id === ''
      || typeof u.accountId !== 'string' || u.accountId === '') {
      throw new LedgerError('validation_failed', `invalid usage reference: ${JSON.stringify(u)}`, { field: 'usedBy' });
    }
  }
  const allowed = usageInLineage(ctx.accounts, record, cmd.usedBy);
  const byKey = new Map(allowed.map((u) => [key(u), { type: u.type, id: u.id, accountId: u.accountId }]));
  const usedBy = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, u]) => u);
  const current = [...record.usedBy].map(key).sort();
  if (current.length === usedBy.length && current.every((k, i) => k === key(usedBy[i]))) return [];
  return [{ type: 'NumberUsageSet.v1', at: instant(ctx), usedBy }];
}
