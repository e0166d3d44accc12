import { owningAccount } from '../tenancy/lineage';
import type { NumberState, UsageRef } from '../types';

/**
 * The inventory audit of SPEC 7 as pure rules: given one number as the
 * inventory has it and the services that use it, what the audit does.
 */

export type AuditLevel = 'customer' | 'site';

export interface AuditScope {
  level: AuditLevel;
  customerId: string;
  /** Accounts whose services and numbers are audited: customer level, the customer and its sites; site level, the selected sites. */
  accounts: string[];
  /** The audited customer's lineage (its ancestors, itself, its descendants): the audit never takes a number away from anyone else. */
  lineage: readonly string[];
}

/** The number as the inventory holds it; null when it is not there (or deleted). */
export interface AuditedNumber {
  state: NumberState;
  assignedTo: string | null;
  usedBy: UsageRef[];
  /** knm_managed numbers waiting in a pool: the pool's account. */
  poolAccountId?: string | null;
}

export interface AuditSubject {
  number: string;
  current: AuditedNumber | null;
  /** Every registered service that references the number, in any account. */
  users: UsageRef[];
}

export type AuditOutcome =
  | { kind: 'add'; number: string; accountId: string; usedBy: UsageRef[] }
  | { kind: 'move'; number: string; from: NumberState; accountId: string; usedBy: UsageRef[] }
  | { kind: 'set_usage'; number: string; state: NumberState; accountId: string | null; usedBy: UsageRef[] }
  | { kind: 'conflict'; number: string; state: NumberState; holder: string | null; usedBy: UsageRef[]; reason: string }
  | { kind: 'unused'; number: string; accountId: string | null; clearUsage: boolean }
  | { kind: 'none'; number: string };

/** States the audit moves to in_service when the number is used (SPEC 7). */
export const MOVABLE_STATES: readonly NumberState[] = ['available', 'aging', 'released', 'reserved', 'discovery'];
/** States in which a number is taken by its holder: a different user is a conflict. */
const TAKEN_STATES: readonly NumberState[] = ['in_service', 'port_in', 'port_out'];

export const usageKey = (u: UsageRef): string => `${u.type}\u0000${u.accountId}\u0000${u.id}`;

/** Usage in the order `decideSetUsage` records it, duplicates removed. */
export function normalizeUsage(usage: UsageRef[]): UsageRef[] {
  const byKey = new Map(usage.map((u) => [usageKey(u), { type: u.type, id: u.id, accountId: u.accountId }]));
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, u]) => u);
}

export function sameUsage(a: UsageRef[], b: UsageRef[]): boolean {
  const x = normalizeUsage(a).map(usageKey);
  const y = normalizeUsage(b).map(usageKey);
  return x.length === y.length && x.every((k, i) => k === y[i]);
}

/**
 * Which audited accounts count as one owner: at customer level the customer
 * and its sites are one (mixed mode: a site's number may serve a customer
 * service); at site level each site stands alone.
 */
function ownerGroup(scope: AuditScope, accountId: string | null): string | null {
  if (accountId === null || !scope.accounts.includes(accountId)) return null;
  return scope.level === 'customer' ? scope.customerId : accountId;
}

/**
 * The account a used number goes to: its holder when the holder is audited
 * and uses it (a site-level entry stays at the site), else the customer
 * (customer level) or the first using site (site level).
 */
export function targetAccount(scope: AuditScope, holder: string | null, scopedUsers: UsageRef[]): string {
  const using = [...new Set(scopedUsers.map((u) => u.accountId))].sort();
  if (scope.level === 'customer') return holder !== null && scope.accounts.includes(holder) ? holder : scope.customerId;
  return holder !== null && using.includes(holder) ? holder : using[0];
}

export function auditNumber(subject: AuditSubject, scope: AuditScope): AuditOutcome {
  const { number, current } = subject;
  const users = normalizeUsage(subject.users);
  const scopedUsers = users.filter((u) => scope.accounts.includes(u.accountId));
  if (scopedUsers.length === 0) return notUsedInScope(subject, users, scope);
  if (current === null) return { kind: 'add', number, accountId: targetAccount(scope, null, scopedUsers), usedBy: users };
  if (MOVABLE_STATES.includes(current.state)) {
    const foreign = foreignConflict(number, current, users, scope);
    if (foreign) return foreign;
    return { kind: 'move', number, from: current.state, accountId: targetAccount(scope, current.assignedTo, scopedUsers), usedBy: users };
  }
  if (TAKEN_STATES.includes(current.state)) {
    const holderGroup = ownerGroup(scope, current.assignedTo);
    const userGroups = new Set(scopedUsers.map((u) => ownerGroup(scope, u.accountId)));
    if (holderGroup === null || !userGroups.has(holderGroup)) {
      return { kind: 'conflict', number, state: current.state, holder: current.assignedTo, usedBy: users, reason: 'held_by_another_account' };
    }
  }
  return setUsage(number, current, users);
}

/**
 * SPEC 7: a number reserved for, or waiting in the managed pool of, an
 * account outside the customer's lineage is reported, not taken.
 */
function foreignConflict(number: string, current: AuditedNumber, users: UsageRef[], scope: AuditScope): AuditOutcome | null {
  const owner = owningAccount({ number, ...current });
  if (owner === null || scope.lineage.includes(owner)) return null;
  const reason = current.state === 'reserved' ? 'reserved_for_another_account' : 'held_by_another_account';
  return { kind: 'conflict', number, state: current.state, holder: owner, usedBy: users, reason };
}

/** Audited because an audited account holds it, but no audited service uses it. */
function notUsedInScope(subject: AuditSubject, users: UsageRef[], scope: AuditScope): AuditOutcome {
  const { number, current } = subject;
  if (current === null) return { kind: 'none', number };
  if (current.state === 'in_service' && users.length > 0 && ownerGroup(scope, current.assignedTo) !== null) {
    return { kind: 'conflict', number, state: current.state, holder: current.assignedTo, usedBy: users, reason: 'used_by_another_account' };
  }
  if (current.state === 'in_service') {
    return { kind: 'unused', number, accountId: current.assignedTo, clearUsage: current.usedBy.length > 0 };
  }
  return setUsage(number, current, users);
}

function setUsage(number: string, current: AuditedNumber, users: UsageRef[]): AuditOutcome {
  if (sameUsage(current.usedBy, users)) return { kind: 'none', number };
  return { kind: 'set_usage', number, state: current.state, accountId: current.assignedTo, usedBy: users };
}
