import { AuditOutcome } from '@ledger/domain/audit/audit-rules';
import { AuditFinding } from '@ledger/domain/audit/events';

/** What the report says about a number, and what the audit does to it; null: nothing to say or do. */
export function findingFor(o: AuditOutcome): AuditFinding | null {
  switch (o.kind) {
    case 'add': return { kind: 'added', number: o.number, accountId: o.accountId, from: null, usedBy: o.usedBy, action: 'add' };
    case 'move': return { kind: 'updated', number: o.number, accountId: o.accountId, from: o.from, usedBy: o.usedBy, action: 'move' };
    case 'set_usage': return { kind: 'updated', number: o.number, accountId: o.accountId, from: o.state, usedBy: o.usedBy, action: 'usage' };
    case 'conflict':
      return { kind: 'conflict', number: o.number, accountId: o.holder, from: o.state, usedBy: o.usedBy, action: 'none', reason: o.reason };
    case 'unused':
      return { kind: 'unused', number: o.number, accountId: o.accountId, from: 'in_service', usedBy: [], action: o.clearUsage ? 'usage' : 'none' };
    case 'none': return null;
  }
}
