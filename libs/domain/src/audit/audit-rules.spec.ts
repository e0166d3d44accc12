import type { UsageRef } from '../types';
import { AuditOutcome, AuditScope, AuditSubject, auditNumber, normalizeUsage } from './audit-rules';

const N = '+14155550100';
// lineage of cust: its reseller above, its sites and a sub-site below
const lineage = ['system', 'reseller', 'cust', 'site-a', 'site-b', 'sub-site'];
const customer: AuditScope = { level: 'customer', customerId: 'cust', accounts: ['cust', 'site-a', 'site-b'], lineage };
const siteA: AuditScope = { level: 'site', customerId: 'cust', accounts: ['site-a'], lineage };
const sites: AuditScope = { level: 'site', customerId: 'cust', accounts: ['site-a', 'site-b'], lineage };

const dev = (accountId: string, id = 'd1'): UsageRef => ({ type: 'device', id, accountId });
const cf = (accountId: string, id = 'main'): UsageRef => ({ type: 'callflow', id, accountId });

interface Row {
  name: string;
  scope: AuditScope;
  given: AuditSubject['current'];
  users: UsageRef[];
  then: Partial<AuditOutcome> & { kind: AuditOutcome['kind'] };
}

const rows: Row[] = [
  // missing numbers are created for the using account
  { name: 'customer level: used at a site, missing: added for the customer', scope: customer, given: null, users: [dev('site-a')], then: { kind: 'add', accountId: 'cust' } },
  { name: 'site level: used at the site, missing: added for the site', scope: siteA, given: null, users: [dev('site-a')], then: { kind: 'add', accountId: 'site-a' } },
  { name: 'site level: two selected sites use it: the first site gets it', scope: sites, given: null, users: [dev('site-b'), dev('site-a', 'd2')], then: { kind: 'add', accountId: 'site-a' } },
  { name: 'site level: a customer service is not audited', scope: siteA, given: null, users: [cf('cust')], then: { kind: 'none' } },
  // used but not in service: moved
  ...(['available', 'aging', 'released', 'reserved', 'discovery'] as const).map((state): Row => ({
    name: `used while ${state}: moved to in_service`, scope: customer, given: { state, assignedTo: null, usedBy: [] }, users: [cf('cust')],
    then: { kind: 'move', from: state, accountId: 'cust' },
  })),
  { name: 'customer level: reserved for a site: in service at the site', scope: customer, given: { state: 'reserved', assignedTo: 'site-b', usedBy: [] }, users: [cf('cust')], then: { kind: 'move', accountId: 'site-b' } },
  { name: 'customer level: reserved for the reseller above: in service for the customer', scope: customer, given: { state: 'reserved', assignedTo: 'reseller', usedBy: [] }, users: [dev('site-a')], then: { kind: 'move', accountId: 'cust' } },
  { name: 'customer level: reserved below a site: in service for the customer', scope: customer, given: { state: 'reserved', assignedTo: 'sub-site', usedBy: [] }, users: [dev('site-a')], then: { kind: 'move', accountId: 'cust' } },
  // SPEC 7: never taken away from an account outside the customer's lineage
  { name: 'reserved for an outsider, used here: conflict, unchanged', scope: customer, given: { state: 'reserved', assignedTo: 'other', usedBy: [] }, users: [dev('site-a')], then: { kind: 'conflict', reason: 'reserved_for_another_account', holder: 'other' } },
  { name: 'site level: reserved for an outsider: conflict', scope: siteA, given: { state: 'reserved', assignedTo: 'other', usedBy: [] }, users: [dev('site-a')], then: { kind: 'conflict', reason: 'reserved_for_another_account' } },
  { name: 'available in the managed pool of an outsider, used here: conflict', scope: customer, given: { state: 'available', assignedTo: null, usedBy: [], poolAccountId: 'other' }, users: [dev('cust')], then: { kind: 'conflict', reason: 'held_by_another_account', holder: 'other' } },
  { name: 'aging in the managed pool of an outsider, used here: conflict', scope: customer, given: { state: 'aging', assignedTo: null, usedBy: [], poolAccountId: 'other' }, users: [dev('cust')], then: { kind: 'conflict', reason: 'held_by_another_account' } },
  { name: 'available in the managed pool of the reseller above: in service for the customer', scope: customer, given: { state: 'available', assignedTo: null, usedBy: [], poolAccountId: 'reseller' }, users: [dev('cust')], then: { kind: 'move', accountId: 'cust' } },
  { name: 'available in the pool of a site: in service for the customer', scope: customer, given: { state: 'available', assignedTo: null, usedBy: [], poolAccountId: 'site-a' }, users: [cf('cust')], then: { kind: 'move', accountId: 'cust' } },
  { name: 'site level: reserved for the customer: in service for the site', scope: siteA, given: { state: 'reserved', assignedTo: 'cust', usedBy: [] }, users: [dev('site-a')], then: { kind: 'move', accountId: 'site-a' } },
  // conflicts
  { name: 'in service for an outsider, used here: conflict', scope: customer, given: { state: 'in_service', assignedTo: 'other', usedBy: [] }, users: [dev('site-a')], then: { kind: 'conflict', holder: 'other' } },
  { name: 'site level: held by another site: conflict', scope: sites, given: { state: 'in_service', assignedTo: 'site-b', usedBy: [] }, users: [dev('site-a')], then: { kind: 'conflict', holder: 'site-b' } },
  { name: 'customer level: held by a site, used by the customer: no conflict (mixed mode)', scope: customer, given: { state: 'in_service', assignedTo: 'site-b', usedBy: [] }, users: [cf('cust')], then: { kind: 'set_usage', accountId: 'site-b' } },
  { name: 'held here, used only by an outsider: conflict', scope: customer, given: { state: 'in_service', assignedTo: 'cust', usedBy: [] }, users: [dev('other')], then: { kind: 'conflict', reason: 'used_by_another_account' } },
  { name: 'porting in for an outsider, used here: conflict', scope: customer, given: { state: 'port_in', assignedTo: 'other', usedBy: [] }, users: [dev('cust')], then: { kind: 'conflict' } },
  // unused and usage
  { name: 'in service, nobody uses it, usage recorded: unused, usage cleared', scope: customer, given: { state: 'in_service', assignedTo: 'cust', usedBy: [dev('cust')] }, users: [], then: { kind: 'unused', clearUsage: true } },
  { name: 'in service, nobody uses it, no usage: unused, nothing to clear', scope: customer, given: { state: 'in_service', assignedTo: 'site-a', usedBy: [] }, users: [], then: { kind: 'unused', clearUsage: false } },
  { name: 'in service and used as recorded: nothing', scope: customer, given: { state: 'in_service', assignedTo: 'cust', usedBy: [cf('cust')] }, users: [cf('cust')], then: { kind: 'none' } },
  { name: 'in service, usage differs: set exactly', scope: customer, given: { state: 'in_service', assignedTo: 'cust', usedBy: [cf('cust', 'old')] }, users: [cf('cust'), dev('site-a')], then: { kind: 'set_usage' } },
  { name: 'reserved here, not used, stale usage: usage cleared, state kept', scope: customer, given: { state: 'reserved', assignedTo: 'cust', usedBy: [dev('cust')] }, users: [], then: { kind: 'set_usage', usedBy: [] } },
];

describe('inventory audit rules (SPEC 7)', () => {
  it.each(rows)('$name', ({ scope, given, users, then }) => {
    expect(auditNumber({ number: N, current: given, users }, scope)).toMatchObject(then);
  });

  it('records usage exactly: every user, in any account, duplicates removed, in a stable order', () => {
    const outcome = auditNumber({ number: N, current: null, users: [dev('site-a'), cf('cust'), dev('site-a')] }, customer);
    expect(outcome).toMatchObject({ kind: 'add', usedBy: normalizeUsage([cf('cust'), dev('site-a')]) });
    expect((outcome as { usedBy: UsageRef[] }).usedBy).toHaveLength(2);
  });
});
